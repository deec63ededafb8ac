using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;
using Geneformer.TestSupport;

namespace Geneformer.Data.Tests;

public class DictionaryFilesTests
{
    private static string Dict(string corpus, string kind, string ext) => SharedData.File("geneformer-dicts", corpus, $"{kind}_{corpus}.{ext}");

    [Theory]
    [InlineData("gc30M", 25_426, 25_424)]
    [InlineData("gc95M", 20_275, 42_005)]
    public void PickleAndTsvGiveIdenticalDictionaries(string corpus, int tokens, int medians)
    {
        var vocabPkl = DictionaryFiles.LoadVocabulary(Dict(corpus, "token_dictionary", "pkl"));
        var vocabTsv = DictionaryFiles.LoadVocabulary(Dict(corpus, "token_dictionary", "tsv"));
        Assert.Equal(tokens, vocabPkl.Count);
        Assert.Equal(vocabTsv.Tokens, vocabPkl.Tokens);

        var medPkl = DictionaryFiles.LoadMedians(Dict(corpus, "gene_median_dictionary", "pkl"));
        var medTsv = DictionaryFiles.LoadMedians(Dict(corpus, "gene_median_dictionary", "tsv"));
        Assert.Equal(medians, medPkl.Count);
        Assert.Equal(medTsv.Genes, medPkl.Genes);
        foreach (var g in medTsv.Genes) Assert.Equal(BitConverter.DoubleToInt64Bits(medTsv[g]), BitConverter.DoubleToInt64Bits(medPkl[g]));
    }

    [Fact]
    public void Gc30MKeepsItsIdsAndGainsClsEosUnkForBioNeMo()
    {
        var v1 = DictionaryFiles.LoadVocabulary(Dict("gc30M", "token_dictionary", "pkl"));
        Assert.Equal(0, v1.PadId);
        Assert.Equal(1, v1.MaskId);
        Assert.Equal(2, v1.Id("ENSG00000000003"));
        Assert.Same(v1, v1.ForMode(TokenMode.V1));

        var bionemo = v1.ForMode(TokenMode.BioNeMo);
        Assert.Equal(25_429, bionemo.Count); // the geneformer-10m preset's vocab_size
        Assert.Equal(v1.Tokens, bionemo.Tokens.Take(v1.Count));
        Assert.Equal(25_426, bionemo.ClsId);
        Assert.Equal(25_427, bionemo.EosId);
        Assert.Equal(25_428, bionemo.Id(SpecialTokens.Unk));
    }

    [Fact]
    public void Gc95MHasV2SpecialTokens()
    {
        var v2 = DictionaryFiles.LoadVocabulary(Dict("gc95M", "token_dictionary", "tsv"));
        Assert.Same(v2, v2.ForMode(TokenMode.V2));
        Assert.Equal((0, 1, 2, 3), (v2.PadId, v2.MaskId, v2.ClsId, v2.EosId));
    }

    [Fact]
    public void VocabularyTsvRoundTrips()
    {
        using var tmp = new TempDir();
        var v = GeneVocabulary.Build(["ENSG3", "ENSG1", "ENSG2", "ENSG1"], TokenMode.V2);
        Assert.Equal(["<pad>", "<mask>", "<cls>", "<eos>", "ENSG1", "ENSG2", "ENSG3"], v.Tokens);
        File.WriteAllText(tmp["v.tsv"], v.ToTsv());
        Assert.Equal(v.Tokens, DictionaryFiles.LoadVocabulary(tmp["v.tsv"]).Tokens);

        var m = new GeneMedians([new("ENSG1", 0.1 + 0.2), new("ENSG2", 1e-300)], "test");
        File.WriteAllText(tmp["m.tsv"], m.ToTsv());
        var back = DictionaryFiles.LoadMedians(tmp["m.tsv"]);
        Assert.Equal(0.1 + 0.2, back["ENSG1"]);
        Assert.Equal(1e-300, back["ENSG2"]);
    }

    [Fact]
    public void BadDictionariesAreRefusedNamingTheFile()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp["gap.tsv"], "token\tid\n<pad>\t0\n<mask>\t1\nENSG1\t3\n");
        var e = Assert.Throws<InvalidDataException>(() => DictionaryFiles.LoadVocabulary(tmp["gap.tsv"]));
        Assert.Contains("gap.tsv", e.Message);
        File.WriteAllText(tmp["m.tsv"], "ensembl_id\tmedian\nENSG1\tabc\n");
        Assert.Contains("abc", Assert.Throws<InvalidDataException>(() => DictionaryFiles.LoadMedians(tmp["m.tsv"])).Message);
        File.WriteAllBytes(tmp["evil.pkl"], [0x80, 4, 0x8c, 2, (byte)'o', (byte)'s', 0x8c, 6, .. "system"u8, 0x93, 0x8c, 2, (byte)'l', (byte)'s', 0x85, 0x52, 0x2e]);
        Assert.Contains("os.system", Assert.Throws<InvalidDataException>(() => DictionaryFiles.LoadVocabulary(tmp["evil.pkl"])).Message);
    }

    [Fact]
    public void Geneformers_symbol_dictionary_maps_symbols_to_ensembl_ids()
    {
        // Expected values from: python3 -c "import pickle; d = pickle.load(open('gene_name_id_dict_gc30M.pkl', 'rb')); print(len(d), d['MT-TF'], d['NOC2L'])"
        var map = DictionaryFiles.LoadSymbolMap(Dict("gc30M", "gene_name_id_dict", "pkl"));
        Assert.Equal(40_248, map.Count);
        Assert.Equal("ENSG00000210049", map["MT-TF"]);
        Assert.Equal("ENSG00000188976", map["NOC2L"]);
    }

    [Fact]
    public void Symbol_tsv_loads_and_a_symbol_with_two_ids_is_refused()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp["s.tsv"], "symbol\tensembl_id\nCD3E\tENSG00000198851\nCD3E\tENSG00000198851\nMS4A1\tENSG00000156738\n");
        var map = DictionaryFiles.LoadSymbolMap(tmp["s.tsv"]);
        Assert.Equal(2, map.Count);
        Assert.Equal("ENSG00000156738", map["MS4A1"]);

        File.WriteAllText(tmp["bad.tsv"], "CD3E\tENSG00000198851\nCD3E\tENSG00000000003\n");
        var e = Assert.Throws<InvalidDataException>(() => DictionaryFiles.LoadSymbolMap(tmp["bad.tsv"]));
        Assert.Contains("bad.tsv", e.Message);
        Assert.Contains("'CD3E'", e.Message);

        Assert.Contains("not a string", Assert.Throws<InvalidDataException>(() => DictionaryFiles.LoadSymbolMap(Dict("gc30M", "token_dictionary", "pkl"))).Message);
        Assert.Contains("not a number", Assert.Throws<InvalidDataException>(() => DictionaryFiles.LoadMedians(Dict("gc30M", "gene_name_id_dict", "pkl"))).Message);
    }
}
