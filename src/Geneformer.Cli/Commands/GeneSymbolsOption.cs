using System.CommandLine;
using Geneformer.Data.Vocabulary;

namespace Geneformer.Cli.Commands;

/// <summary><c>--gene-symbols</c>: inputs whose genes are symbols (scvi-tools, many 10x exports) are mapped to Ensembl ids.</summary>
public static class GeneSymbolsOption
{
    public static Option<string?> Create() => new("--gene-symbols")
    {
        Description = "Map gene symbols to Ensembl ids with this dictionary: Geneformer's gene_name_id_dict .pkl or a .tsv (symbol, ensembl_id); " +
                      "ids it does not list are kept as they are (Ensembl ids pass through). Counts of symbols mapping to one id are summed",
    };

    public static IReadOnlyDictionary<string, string>? Load(string? path) => path is null ? null : DictionaryFiles.LoadSymbolMap(path);
}
