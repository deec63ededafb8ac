namespace Geneformer.Evaluation.Inference;

/// <summary>The files of one embedding output <c>OUT.npy</c>: <c>OUT.ids.txt</c>, and for per-gene pooling <c>OUT.offsets.npy</c> and <c>OUT.tokens.npy</c>.</summary>
public sealed record EmbeddingFilePaths(string Vectors, string Ids, string? Offsets, string? Tokens)
{
    public static EmbeddingFilePaths For(string outputPath, bool perGene)
    {
        if (!outputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--output {outputPath}: expected a .npy file name");
        var stem = outputPath[..^4];
        return new EmbeddingFilePaths(outputPath, stem + ".ids.txt", perGene ? stem + ".offsets.npy" : null, perGene ? stem + ".tokens.npy" : null);
    }

    /// <summary>
    /// The hidden files, beside <paramref name="outputPath"/>, of rank <paramref name="rank"/>'s part of a run over
    /// <paramref name="ranks"/> MPI ranks; <paramref name="runToken"/> (the same on every rank) keeps runs apart.
    /// </summary>
    public static EmbeddingFilePaths ForPart(string outputPath, bool perGene, int rank, int ranks, string runToken)
    {
        var final = For(outputPath, perGene);
        var dir = Path.GetDirectoryName(Path.GetFullPath(final.Vectors))!;
        return For(Path.Combine(dir, $".{Path.GetFileName(final.Vectors)}.part-{rank:D5}-of-{ranks:D5}-{runToken}.npy"), perGene);
    }

    /// <summary>Every file of the set (the ids file included, whether or not it is written).</summary>
    public IEnumerable<string> All => new[] { Vectors, Ids, Offsets, Tokens }.OfType<string>();

    /// <summary>Deletes whichever of the files exist.</summary>
    public void Delete()
    {
        foreach (var path in All)
            if (File.Exists(path)) File.Delete(path);
    }
}
