using Geneformer.Data.Loading;
using Geneformer.Data.Pipeline;

namespace Geneformer.Data.Synthetic;

/// <summary>
/// Tokenized cells with planted structure, for checking that pretraining learns. Each cell follows one of
/// <see cref="Programs"/> gene programs: it expresses a random subset of its program's genes, ranked by the
/// program's level for each gene times log-normal noise. A model that reads a cell's unmasked genes can tell its
/// program, and from the program and the rank predict the masked genes far better than from gene frequencies
/// (<c>log(Programs x ProgramGenes)</c> nats) or rank bands alone; a misaligned label or position cannot.
/// </summary>
public sealed record GeneProgramCells
{
    public int VocabSize { get; init; } = 25_429;
    /// <summary>Lowest gene token id (ids below are special tokens).</summary>
    public int FirstGeneId { get; init; } = 4;
    public int Programs { get; init; } = 8;
    public int ProgramGenes { get; init; } = 200;
    public int MinLength { get; init; } = 100;
    public int MaxLength { get; init; } = 160;
    /// <summary>Standard deviation of the log-normal noise on each gene's level in a cell (0 = the program's fixed order).</summary>
    public double Noise { get; init; } = 0.3;
    public ulong Seed { get; init; } = 1;

    /// <summary>The program of cell <paramref name="index"/>: its class in a cell-type benchmark.</summary>
    public int ProgramOf(long index) => new SyntheticRandom(StableHash.Of(Seed, $"cell:{index}")).Next(Programs);

    /// <summary>Cells <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1 (the same cells whatever range they are asked in).</summary>
    public InMemoryCells Generate(long first, int count)
    {
        if (Programs < 1 || ProgramGenes < 1 || MinLength < 1 || MaxLength < MinLength || MaxLength > ProgramGenes)
            throw new ArgumentException($"gene programs: need programs >= 1 and 1 <= min length <= max length <= program genes, not {Programs}, {MinLength}..{MaxLength}, {ProgramGenes}");
        if (Programs * ProgramGenes > VocabSize - FirstGeneId)
            throw new ArgumentException($"{Programs} programs x {ProgramGenes} genes need {Programs * ProgramGenes} gene ids; the vocabulary has {VocabSize - FirstGeneId}");
        var (genes, levels) = ProgramTables();
        var cells = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var index = first + i;
            var rng = new SyntheticRandom(StableHash.Of(Seed, $"cell:{index}"));
            var program = rng.Next(Programs);
            var length = MinLength + rng.Next(MaxLength - MinLength + 1);
            var members = Enumerable.Range(0, ProgramGenes).ToArray();
            for (var k = 0; k < length; k++) // partial Fisher-Yates: the first `length` members are a uniform subset
            {
                var j = k + rng.Next(ProgramGenes - k);
                (members[k], members[j]) = (members[j], members[k]);
            }
            cells[i] = members.Take(length)
                .Select(m => (Gene: genes[program][m], Score: levels[program][m] * Math.Exp(Noise * rng.NextNormal())))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Gene)
                .Select(x => x.Gene).ToArray();
        }
        return new InMemoryCells(cells);
    }

    private (int[][] Genes, double[][] Levels) ProgramTables()
    {
        var rng = new SyntheticRandom(StableHash.Of(Seed, "programs"));
        var ids = Enumerable.Range(FirstGeneId, VocabSize - FirstGeneId).ToArray();
        for (var k = 0; k < Programs * ProgramGenes; k++)
        {
            var j = k + rng.Next(ids.Length - k);
            (ids[k], ids[j]) = (ids[j], ids[k]);
        }
        var genes = Enumerable.Range(0, Programs).Select(p => ids.AsSpan(p * ProgramGenes, ProgramGenes).ToArray()).ToArray();
        var levels = genes.Select(g => g.Select(_ => Math.Exp(1.5 * rng.NextNormal())).ToArray()).ToArray();
        return (genes, levels);
    }
}
