using System.Runtime.CompilerServices;
using Geneformer.Data.Vocabulary;

namespace Geneformer.Data.Tokenization;

/// <summary>
/// Geneformer's rank value encoding: keep genes in the vocabulary that have a median; value = count /
/// cell total x 10,000 / gene median (computed in that order in float64, as Geneformer does); drop zeros;
/// sort by value descending, ties by token id ascending; truncate; add the mode's special tokens.
/// The cell total is the sum over all genes of the cell, before any gene is dropped (Geneformer's n_counts).
/// Holds scratch buffers: use one instance per thread. No allocation per cell.
/// </summary>
public sealed class RankValueTokenizer
{
    private const double TargetSum = 10_000;

    // Per token, together so that one cache line serves a gene's lookups: median (0 = token not usable) and
    // scratch for the current cell (summed count, normalised value, which cell last touched it).
    private readonly TokenSlot[] slots;
    private struct TokenSlot { public double Median, Count, Value; public int Stamp; }
    private long[] keys = new long[4096];
    private long[] sortScratch = new long[4096];
    private readonly int[] histograms = new int[8 * 256];
    private int[] touched = new int[4096];
    private int stamp;

    public GeneVocabulary Vocabulary { get; }
    public TokenMode Mode { get; }
    /// <summary>Maximum sequence length, special tokens included.</summary>
    public int MaxLength { get; }
    /// <summary>Most gene tokens a cell keeps (MaxLength less the special tokens).</summary>
    public int MaxGenes { get; }

    public RankValueTokenizer(GeneVocabulary vocabulary, GeneMedians medians, TokenMode mode, int? maxLength = null)
    {
        Vocabulary = vocabulary;
        Mode = mode;
        MaxLength = maxLength ?? mode.DefaultMaxLength();
        var specials = mode.SpecialTokenCount();
        if (MaxLength <= specials) throw new ArgumentException($"maximum length {MaxLength} leaves no room for genes in mode {mode.Name()}");
        MaxGenes = MaxLength - specials;
        if (mode != TokenMode.V1 && vocabulary.ClsId < 0) throw new ArgumentException($"mode {mode.Name()} needs {SpecialTokens.Cls} in the vocabulary (use GeneVocabulary.ForMode)");
        if (mode == TokenMode.V2 && vocabulary.EosId < 0) throw new ArgumentException($"mode v2 needs {SpecialTokens.Eos} in the vocabulary (use GeneVocabulary.ForMode)");

        slots = new TokenSlot[vocabulary.Count];
        for (int id = 0; id < vocabulary.Count; id++)
            if (!vocabulary.IsSpecial(id) && medians.TryGet(vocabulary.Tokens[id], out var m) && m > 0) slots[id].Median = m;
    }

    /// <summary>Number of vocabulary tokens that have a usable median.</summary>
    public int UsableGenes => slots.Count(s => s.Median > 0);

    public GeneColumnMap MapColumns(IReadOnlyList<string> geneIds)
    {
        var map = new int[geneIds.Count];
        for (int c = 0; c < map.Length; c++)
            map[c] = Vocabulary.TryGetId(geneIds[c], out var id) && slots[id].Median > 0 ? id : -1;
        return new GeneColumnMap(map);
    }

    /// <summary>Tokenizes cell <paramref name="cell"/> of <paramref name="block"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> long); returns the length.</summary>
    public int Tokenize(GeneColumnMap columns, CellBlockView block, int cell, Span<short> destination)
    {
        var from = block.IndPtr[cell];
        var to = block.IndPtr[cell + 1];
        return Tokenize(columns, block.GeneIndices.AsSpan(from, to - from), block.Values.AsSpan(from, to - from), destination);
    }

    /// <summary>Tokenizes one cell given its non-zero columns and counts; throws <see cref="InvalidDataException"/> on a negative or non-finite count.</summary>
    public int Tokenize(GeneColumnMap columns, ReadOnlySpan<int> geneIndices, ReadOnlySpan<float> counts, Span<short> destination)
    {
        if (destination.Length < Math.Min(MaxLength, geneIndices.Length + 2)) throw new ArgumentException($"destination holds {destination.Length} tokens; up to {MaxLength} are needed");
        var tokenOfColumn = columns.TokenOfColumn;
        if (++stamp == int.MaxValue) { for (int i = 0; i < slots.Length; i++) slots[i].Stamp = 0; stamp = 1; }
        if (touched.Length < geneIndices.Length) { touched = new int[geneIndices.Length]; keys = new long[geneIndices.Length]; sortScratch = new long[geneIndices.Length]; }

        double total = 0;
        int n = 0;
        for (int j = 0; j < geneIndices.Length; j++)
        {
            float x = counts[j];
            if (!(x >= 0) || float.IsPositiveInfinity(x)) throw new InvalidDataException($"count {x} of gene column {geneIndices[j]} is negative or not finite");
            total += x;
            int t = tokenOfColumn[geneIndices[j]];
            if (t < 0 || x == 0) continue;
            ref var slot = ref slots[t];
            if (slot.Stamp != stamp) { slot.Stamp = stamp; slot.Count = x; touched[n++] = t; }
            else slot.Count += x; // a gene listed twice in a file: summed, as Geneformer collapses duplicate ids
        }

        var key = keys.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            int t = touched[i];
            ref var slot = ref slots[t];
            double v = slot.Count / total * TargetSum / slot.Median;
            slot.Value = v;
            // Positive doubles order like their bit patterns. Keep the top 48 bits, and 0xFFFF - token in the
            // low 16 bits so that equal values sort by token id ascending when read from the end.
            key[i] = (BitConverter.DoubleToInt64Bits(v) & ~0xFFFFL) | (long)(0xFFFF - t);
        }
        RadixSort.Sort(key, sortScratch, histograms);
        FixTruncatedTies(key);

        int genes = Math.Min(n, MaxGenes);
        int pos = 0;
        if (Mode != TokenMode.V1) destination[pos++] = (short)Vocabulary.ClsId;
        for (int i = 0; i < genes; i++) destination[pos++] = (short)(0xFFFF - (int)(key[n - 1 - i] & 0xFFFF));
        if (Mode == TokenMode.V2) destination[pos++] = (short)Vocabulary.EosId;
        return pos;
    }

    /// <summary>Values whose top 48 bits agree were ordered by token id only; re-sort such runs by the exact value.</summary>
    private void FixTruncatedTies(Span<long> key)
    {
        for (int i = 0; i < key.Length - 1;)
        {
            int j = i + 1;
            bool sameValue = true;
            double v = slots[0xFFFF - (int)(key[i] & 0xFFFF)].Value;
            while (j < key.Length && (key[j] >> 16) == (key[i] >> 16))
            {
                sameValue &= slots[0xFFFF - (int)(key[j] & 0xFFFF)].Value == v;
                j++;
            }
            // exact ties (the common case: same count, same median) are already in token order
            if (!sameValue) key[i..j].Sort(new ExactOrder(slots));
            i = j;
        }
    }

    /// <summary>Ascending by value, then descending by token: the reverse of the output order.</summary>
    private readonly struct ExactOrder(TokenSlot[] slots) : IComparer<long>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Compare(long a, long b)
        {
            int ta = 0xFFFF - (int)(a & 0xFFFF), tb = 0xFFFF - (int)(b & 0xFFFF);
            int byValue = slots[ta].Value.CompareTo(slots[tb].Value);
            return byValue != 0 ? byValue : tb.CompareTo(ta);
        }
    }
}
