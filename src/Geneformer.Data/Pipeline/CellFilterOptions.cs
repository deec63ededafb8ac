namespace Geneformer.Data.Pipeline;

/// <summary>The CELLxGENE cell filters, each switchable. A filter whose obs column a file lacks is not applied to that file (and the manifest says so).</summary>
public sealed record CellFilterOptions(bool HomoSapiensOnly, bool PrimaryDataOnly, bool NormalDiseaseOnly, bool ExcludeSuspensionNa)
{
    public static CellFilterOptions CellxGene { get; } = new(true, true, true, true);
    public static CellFilterOptions None { get; } = new(false, false, false, false);

    public string Name => this == CellxGene ? "cellxgene" : this == None ? "none"
        : $"custom(organism={HomoSapiensOnly},primary={PrimaryDataOnly},normal={NormalDiseaseOnly},suspension={ExcludeSuspensionNa})";

    public static CellFilterOptions Parse(string name) => name.ToLowerInvariant() switch
    {
        "cellxgene" => CellxGene,
        "none" => None,
        _ => throw new ArgumentException($"filter '{name}' is not one of cellxgene, none"),
    };
}
