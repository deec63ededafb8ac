using System.Globalization;
using System.Text;
using Geneformer.Data.Tokenization;

namespace Geneformer.Data.Vocabulary;

/// <summary>
/// Token strings (special tokens and Ensembl gene ids) with dense ids 0..Count-1. Ids of a loaded
/// dictionary are kept as they are; ids must fit in int16 (the corpus stores tokens as int16).
/// </summary>
public sealed class GeneVocabulary
{
    private readonly string[] tokens;
    private readonly Dictionary<string, int> ids;

    public int Count => tokens.Length;
    public IReadOnlyList<string> Tokens => tokens;
    public int PadId => Id(SpecialTokens.Pad);
    public int MaskId => Id(SpecialTokens.Mask);
    /// <summary>-1 when the vocabulary has no such token.</summary>
    public int ClsId => IdOrMinusOne(SpecialTokens.Cls);
    public int EosId => IdOrMinusOne(SpecialTokens.Eos);

    private GeneVocabulary(string[] tokens, Dictionary<string, int> ids) { this.tokens = tokens; this.ids = ids; }

    /// <summary>From (token, id) pairs whose ids are exactly 0..n-1 in some order.</summary>
    public static GeneVocabulary FromPairs(IEnumerable<KeyValuePair<string, long>> pairs, string source)
    {
        var list = pairs.ToList();
        var tokens = new string?[list.Count];
        var ids = new Dictionary<string, int>(list.Count, StringComparer.Ordinal);
        foreach (var (token, id) in list)
        {
            if (string.IsNullOrEmpty(token)) throw new InvalidDataException($"{source}: empty token (id {id})");
            if (id < 0 || id >= list.Count) throw new InvalidDataException($"{source}: token '{token}' has id {id}, outside 0..{list.Count - 1} (ids must be dense)");
            if (tokens[id] is not null) throw new InvalidDataException($"{source}: id {id} is given to both '{tokens[id]}' and '{token}'");
            if (!ids.TryAdd(token, (int)id)) throw new InvalidDataException($"{source}: token '{token}' appears twice");
            tokens[id] = token;
        }
        if (list.Count > short.MaxValue + 1) throw new InvalidDataException($"{source}: {list.Count} tokens do not fit int16 token ids");
        if (!ids.ContainsKey(SpecialTokens.Pad) || !ids.ContainsKey(SpecialTokens.Mask))
            throw new InvalidDataException($"{source}: the dictionary lacks {SpecialTokens.Pad} or {SpecialTokens.Mask}");
        return new GeneVocabulary(tokens!, ids);
    }

    /// <summary>Special tokens of <paramref name="mode"/> first, then the genes sorted by id (ordinal), as Geneformer's dictionaries are.</summary>
    public static GeneVocabulary Build(IEnumerable<string> geneIds, TokenMode mode)
    {
        var genes = geneIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var all = SpecialTokens.For(mode).Concat(genes).Select((t, i) => new KeyValuePair<string, long>(t, i));
        return FromPairs(all, "computed vocabulary");
    }

    /// <summary>This vocabulary with the special tokens <paramref name="mode"/> needs and it lacks appended after its last id.</summary>
    public GeneVocabulary ForMode(TokenMode mode)
    {
        var missing = SpecialTokens.For(mode).Where(t => !ids.ContainsKey(t)).ToList();
        if (missing.Count == 0) return this;
        var pairs = tokens.Concat(missing).Select((t, i) => new KeyValuePair<string, long>(t, i));
        return FromPairs(pairs, "vocabulary for " + mode.Name());
    }

    public bool TryGetId(string token, out int id) => ids.TryGetValue(token, out id);

    public int Id(string token) => ids.TryGetValue(token, out var id) ? id : throw new KeyNotFoundException($"token '{token}' is not in the vocabulary");

    private int IdOrMinusOne(string token) => ids.TryGetValue(token, out var id) ? id : -1;

    public bool IsSpecial(int id) => SpecialTokens.IsSpecial(tokens[id]);

    /// <summary>Writes <c>token\tid</c> lines in id order, with a header (the format of the shared TSV dictionaries).</summary>
    public string ToTsv()
    {
        var sb = new StringBuilder("token\tid\n");
        for (int i = 0; i < tokens.Length; i++) sb.Append(tokens[i]).Append('\t').Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }
}
