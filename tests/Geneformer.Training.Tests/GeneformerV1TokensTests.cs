using Geneformer.Data.Matrix;
using Geneformer.Model;
using Geneformer.Training.Evaluation;
using Geneformer.TestSupport;

namespace Geneformer.Training.Tests;

/// <summary>
/// A Hugging Face Geneformer imported with the published V1 dictionaries (gc30M) must see the tokens a Python
/// Geneformer user gets. The reference below is an independent numpy re-implementation of Geneformer's
/// tokenizer (needs Debian's python3-anndata and python3-h5py). Ties in value are ordered by token id, the
/// documented rule here (Geneformer's own argsort leaves their order unspecified).
/// </summary>
public class GeneformerV1TokensTests
{
    private const string Reference = """
import sys, pickle, anndata, numpy as np, scipy.sparse as sp
path, vocab_path, median_path = sys.argv[1:4]
a = anndata.read_h5ad(path)
X = a.raw.X if a.raw is not None else a.X
genes = list(a.raw.var_names if a.raw is not None else a.var_names)
X = sp.csr_matrix(X)
vocab = pickle.load(open(vocab_path, "rb"))
medians = pickle.load(open(median_path, "rb"))
keep = [i for i, g in enumerate(genes) if g in vocab and g in medians and medians[g] > 0]
tokens = np.array([vocab[genes[i]] for i in keep])
norm = np.array([medians[genes[i]] for i in keep], dtype=np.float64)
n_counts = np.asarray(X.sum(axis=1)).ravel().astype(np.float64)
for c in range(X.shape[0]):
    row = np.asarray(X[c, keep].todense()).ravel().astype(np.float64)
    values = row / n_counts[c] * 10000 / norm
    nz = np.nonzero(values)[0]
    order = sorted(nz, key=lambda i: (-values[i], tokens[i]))
    print(" ".join(str(tokens[i]) for i in order[:2048]))
""";

    [Fact]
    public void Cellxgene_cells_tokenize_as_the_python_reference_with_gc30M()
    {
        var cells = SharedData.File("cellxgene-schema", "example_valid_2025-02-18.h5ad");
        var dicts = SharedData.File("geneformer-dicts", "gc30M");
        var vocabPath = Path.Combine(dicts, "token_dictionary_gc30M.pkl");
        var mediansPath = Path.Combine(dicts, "gene_median_dictionary_gc30M.pkl");
        using var tmp = new TempDir();
        File.WriteAllText(tmp["reference.py"], Reference);
        var py = ProcessRunner.Python(tmp["reference.py"], cells, vocabPath, mediansPath);
        Assert.True(py.ExitCode == 0, py.ToString());
        var expected = py.StdOut.Split('\n').SkipLast(1).ToArray();

        // The path `geneformer embed --checkpoint IMPORTED --vocab ... --medians ... --token-mode v1` takes (no tokenizer/ folder).
        var spec = TokenizerSpec.Resolve(tmp.Path, new BertConfig(), new TokenizerSpec.Overrides(vocabPath, mediansPath, "v1", null));
        Assert.Equal(2048, spec.MaxLength);
        var tokenizer = spec.CreateTokenizer();
        using var source = CellSources.Open(cells);
        var columns = tokenizer.MapColumns(source.GeneIds);
        var buffer = new short[tokenizer.MaxLength];
        var actual = new List<string>();
        foreach (var block in source.ReadBlocks())
            for (var c = 0; c < block.CellCount; c++)
                actual.Add(string.Join(' ', buffer.AsSpan(0, tokenizer.Tokenize(columns, block, c, buffer)).ToArray()));
        Assert.Equal(320, actual.Count);
        Assert.Contains(actual, a => a.Split(' ').Length > 20);
        Assert.Equal(expected, actual);
    }
}
