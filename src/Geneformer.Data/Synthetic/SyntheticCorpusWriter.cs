using Geneformer.Common.IO;

namespace Geneformer.Data.Synthetic;

/// <summary>Writes a <see cref="SyntheticCorpus"/> as one CELLxGENE-like .h5ad file per dataset_id, atomically (the folder appears complete or not at all).</summary>
public static class SyntheticCorpusWriter
{
    public static IReadOnlyList<string> WriteH5ad(SyntheticCorpus corpus, string directory, Action<int, string>? written = null)
    {
        using var dir = new AtomicDirectory(directory);
        var files = new List<string>();
        for (int d = 0; d < corpus.Datasets.Count; d++)
        {
            using var source = corpus.Open(d);
            H5adWriter.Write(Path.Combine(dir.TempPath, corpus.FileName(d)), source);
            files.Add(Path.Combine(dir.FinalPath, corpus.FileName(d)));
            written?.Invoke(d, files[^1]);
        }
        dir.Commit();
        return files;
    }
}
