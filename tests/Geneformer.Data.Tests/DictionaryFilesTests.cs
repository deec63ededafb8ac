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
}
