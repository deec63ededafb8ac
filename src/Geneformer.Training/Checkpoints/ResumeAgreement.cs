using System.Globalization;
using Geneformer.Training.Parallel;

namespace Geneformer.Training.Checkpoints;

/// <summary>
/// Every rank must resume the same checkpoint: each shares what it restored (step, and a prefix of its weights digest)
/// over the collectives, and every rank stops with the same clear error when any differs from rank 0's. Without it a
/// rank that saw another checkpoint folder (a stale node-local copy, a different --checkpoints) would train on silently
/// from other weights, or wait forever in a collective the others never enter.
/// </summary>
public static class ResumeAgreement
{
    /// <summary>Ranks agree on which step they resume (-1 = none, a fresh start), before any rank loads weights.</summary>
    public static void OnStep(ICollectives collectives, long step, string where) => Check(collectives, step, 0, where, "checkpoint step");

    /// <summary>Ranks agree on the weights they restored.</summary>
    public static void OnWeights(ICollectives collectives, long step, string digest, string where) =>
        Check(collectives, step, DigestPrefix(digest), where, "weights");

    /// <summary>The first 12 hex digits of a SHA-256: 48 bits, exact in a double.</summary>
    internal static double DigestPrefix(string digest) => long.Parse(digest[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static void Check(ICollectives c, long step, double digest, string where, string what)
    {
        if (c.WorldSize == 1) return;
        var all = new double[2 * c.WorldSize];
        all[2 * c.Rank] = step;
        all[2 * c.Rank + 1] = digest;
        c.AllReduceSum(all); // every slot but its owner's is zero: the sum is each rank's own value, exactly
        // Rank 0 chooses the checkpoint (the others do not hash them again): a rank without it cannot see rank 0's folder.
        string Describe(int r) => $"rank {r}: " + (all[2 * r] >= 0 ? $"step {all[2 * r]:0}" : r > 0 && all[0] >= 0 ? $"does not see step {all[0]:0}" : "no checkpoint (fresh start)") +
                                  (what == "weights" ? $", weights sha256 {(long)all[2 * r + 1]:x12}..." : "");
        var differing = Enumerable.Range(1, c.WorldSize - 1).Where(r => all[2 * r] != all[0] || all[2 * r + 1] != all[1]).ToList();
        if (differing.Count == 0) return;
        throw new InvalidDataException(
            $"ranks disagree on the {what} they resumed ({Describe(0)}; {string.Join("; ", differing.Take(4).Select(Describe))}" +
            (differing.Count > 4 ? $"; and {differing.Count - 4} more ranks" : "") +
            $"); this rank read {where}. Every rank must see the same checkpoints folder (a shared file system path for --checkpoints)");
    }
}
