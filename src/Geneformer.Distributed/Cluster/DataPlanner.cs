using System.Security.Cryptography;
using System.Text;
using Geneformer.Data.Loading;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Describes the trainer's order (<see cref="GlobalSampleOrder"/> dealt by <see cref="StepSamples.Of"/>): stream
/// position <c>p</c> belongs to epoch <c>p / cells</c>; within global batch <c>s</c> (positions <c>[s*G, (s+1)*G)</c>)
/// rank <c>r</c> reads micro batch <c>a</c> at <c>s*G + (a*world + r)*micro</c>. Each epoch is a
/// permutation of the split, so every cell is read exactly once per epoch across ranks, and each rank reads
/// G/world positions of every global batch. This class counts, it never reorders; length grouping (see
/// <see cref="DataPlan"/>) changes which rank reads a position, not how many each rank reads.
/// </summary>
public static class DataPlanner
{
    public const int MaxEpochs = 100_000;

    public static DataPlan Build(long trainCells, JobSettings job, int worldSize, long firstStep)
    {
        if (trainCells <= 0) throw new ArgumentException($"the train split has {trainCells} cells");
        var g = BatchGeometry.FromGlobal(job.GlobalBatch, job.MicroBatch, worldSize);
        if (firstStep < 0 || firstStep > job.MaxSteps) throw new ArgumentException($"first step {firstStep} is outside [0, max_steps {job.MaxSteps}]");
        var start = firstStep * g.GlobalBatch;
        var end = job.MaxSteps * g.GlobalBatch;
        var epochs = new List<EpochShare>();
        if (end > start)
        {
            var firstEpoch = start / trainCells;
            var lastEpoch = (end - 1) / trainCells;
            if (lastEpoch - firstEpoch + 1 > MaxEpochs)
                throw new ArgumentException($"{job.MaxSteps} steps of {g.GlobalBatch} cells over {trainCells} cells is {lastEpoch - firstEpoch + 1} epochs (more than {MaxEpochs})");
            for (var e = firstEpoch; e <= lastEpoch; e++)
            {
                var lo = Math.Max(start, e * trainCells);
                var hi = Math.Min(end, (e + 1) * trainCells);
                var perRank = new long[worldSize];
                for (var r = 0; r < worldSize; r++) perRank[r] = PositionsBefore(hi, r, g) - PositionsBefore(lo, r, g);
                epochs.Add(new EpochShare(e, perRank));
            }
        }
        var plan = new DataPlan(trainCells, g.GlobalBatch, g.MicroBatch, worldSize, job.Seed, firstStep, job.MaxSteps, job.LengthGrouping, [.. epochs], "") { PackedTokens = job.PackedTokens };
        return plan with { Checksum = Checksum(plan) };
    }

    /// <summary>
    /// Recomputes the plan from this rank's own inputs and throws if its checksum differs from the coordinator's
    /// (<paramref name="plan"/> may be its <see cref="DataPlan.Summary"/>: the shares are this rank's to count).
    /// </summary>
    public static void Verify(DataPlan plan, long trainCells, JobSettings job, int worldSize)
    {
        var mine = Build(trainCells, job, worldSize, plan.FirstStep);
        if (mine.Checksum != plan.Checksum || (plan.Epochs.Length > 0 && Checksum(plan) != plan.Checksum))
            throw new InvalidDataException(
                $"data plan mismatch: the coordinator's plan ({plan.TrainCells} cells, global batch {plan.GlobalBatch}, micro batch {plan.MicroBatch}, world {plan.WorldSize}, seed {plan.Seed}, length grouping {plan.LengthGrouped}, packed tokens {plan.PackedTokens}, checksum {plan.Checksum}) " +
                $"differs from this rank's ({trainCells} cells, global batch {job.GlobalBatch}, micro batch {job.MicroBatch}, world {worldSize}, seed {job.Seed}, length grouping {job.LengthGrouping}, packed tokens {job.PackedTokens}, checksum {mine.Checksum})");
    }

    /// <summary>How many of the positions <c>[0, x)</c> rank <paramref name="rank"/> reads.</summary>
    internal static long PositionsBefore(long x, int rank, BatchGeometry g)
    {
        var perBatch = g.GlobalBatch / g.WorldSize;
        var cycle = (long)g.MicroBatch * g.WorldSize; // one micro batch of every rank
        var rem = x % g.GlobalBatch;
        var tail = rem % cycle - (long)rank * g.MicroBatch;
        return x / g.GlobalBatch * perBatch + rem / cycle * g.MicroBatch + Math.Clamp(tail, 0, g.MicroBatch);
    }

    private static string Checksum(DataPlan p)
    {
        // Hashed as it is written: a long job's plan on a thousand ranks is millions of numbers.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
        Add($"cells={p.TrainCells};G={p.GlobalBatch};m={p.MicroBatch};w={p.WorldSize};seed={p.Seed};steps={p.FirstStep}-{p.MaxSteps};grouped={p.LengthGrouped};packed={p.PackedTokens}");
        foreach (var e in p.Epochs) Add($";e{e.Epoch}={string.Join(',', e.CellsPerRank)}");
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
