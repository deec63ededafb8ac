using Geneformer.Data.Matrix;
using Geneformer.Data.Vocabulary;
using Geneformer.Model;
using Geneformer.Evaluation.Inference;
using Geneformer.TestSupport;

namespace Geneformer.Evaluation.Tests;

/// <summary>
/// A Hugging Face Geneformer imported with the published V1 dictionaries (gc30M) must see the tokens a Python
/// Geneformer user gets. The reference below is an independent numpy re-implementation of Geneformer's
/// tokenizer (needs Debian's python3-anndata and python3-h5py). Ties in value are ordered by token id, the
/// documented rule here (Geneformer's own argsort leaves their order unspecified). Files with gene symbols
/// (scvi-tools) are mapped with Geneformer's gene_name_id_dict, as `--gene-symbols` does; columns that map to
/// one id are summed.
/// </summary>
public class GeneformerV1TokensTests
{
    private const string Reference = """
import sys, pickle, anndata, numpy as np, scipy.sparse as sp
path, vocab_path, median_path, symbols_path = sys.argv[1:5]
a = anndata.read_h5ad(path)
X = a.raw.X if a.raw is not None else a.X
genes = list(a.raw.var_names if a.raw is not None else a.var_names)
X = sp.csr_matrix(X)
if symbols_path != "-":
    symbols = pickle.load(open(symbols_path, "rb"))
    mapped = [symbols.get(g, g) for g in genes]
    unique = sorted(set(mapped))
    col = {g: i for i, g in enumerate(unique)}
    merge = sp.csr_matrix((np.ones(len(mapped)), ([col[g] for g in mapped], range(len(mapped)))), shape=(len(unique), len(mapped)))
    X = sp.csr_matrix(X @ merge.T)
    genes = unique
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

    [Theory]
    [InlineData("cellxgene-schema/example_valid_2025-02-18.h5ad", false, 320)]
    [InlineData("scvi-tools/pbmc_10k_protein_v3.h5ad", true, 200)] // gene symbols, dense X
    public void Cells_tokenize_as_the_python_reference_with_gc30M(string file, bool symbols, int cellCount)
    {
        var cells = SharedData.File(file.Split('/'));
        var dicts = SharedData.File("geneformer-dicts", "gc30M");
        var vocabPath = Path.Combine(dicts, "token_dictionary_gc30M.pkl");
        var mediansPath = Path.Combine(dicts, "gene_median_dictionary_gc30M.pkl");
        var symbolsPath = symbols ? Path.Combine(dicts, "gene_name_id_dict_gc30M.pkl") : null;
        using var tmp = new TempDir();
        File.WriteAllText(tmp["reference.py"], Reference);
        var py = ProcessRunner.Python(tmp["reference.py"], cells, vocabPath, mediansPath, symbolsPath ?? "-");
        Assert.True(py.ExitCode == 0, py.ToString());
        var expected = py.StdOut.Split('\n').SkipLast(1).ToArray();

        // The path `geneformer embed --checkpoint IMPORTED --vocab ... --medians ... --token-mode v1` takes (no tokenizer/ folder).
        var spec = TokenizerSpec.Resolve(tmp.Path, new BertConfig(), new TokenizerSpec.Overrides(vocabPath, mediansPath, "v1", null));
        Assert.Equal(2048, spec.MaxLength);
        var tokenizer = spec.CreateTokenizer();
        using var source = CellSources.Open(cells, new CellSourceOptions { SymbolToEnsembl = symbolsPath is null ? null : DictionaryFiles.LoadSymbolMap(symbolsPath) });
        var columns = tokenizer.MapColumns(source.GeneIds);
        var buffer = new short[tokenizer.MaxLength];
        var actual = new List<string>();
        foreach (var block in source.ReadBlocks())
            for (var c = 0; c < block.CellCount; c++)
                actual.Add(string.Join(' ', buffer.AsSpan(0, tokenizer.Tokenize(columns, block, c, buffer)).ToArray()));
        Assert.Equal(cellCount, actual.Count);
        Assert.Contains(actual, a => a.Split(' ').Length > 20);
        Assert.Equal(expected, actual);
    }
}
