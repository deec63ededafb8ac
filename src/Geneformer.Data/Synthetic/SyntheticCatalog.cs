namespace Geneformer.Data.Synthetic;

/// <summary>The CELLxGENE vocabulary the generator draws metadata from (real term labels).</summary>
internal static class SyntheticCatalog
{
    public static readonly string[] Assays = ["10x 3' v3", "10x 3' v2", "10x 5' v2", "Smart-seq2"];

    public static readonly (string General, string[] Tissues, string[] CellTypes)[] Tissues =
    [
        ("blood", ["blood", "peripheral blood"], ["T cell", "B cell", "classical monocyte", "natural killer cell"]),
        ("lung", ["lung", "upper lobe of left lung"], ["alveolar macrophage", "type II pneumocyte", "ciliated cell", "fibroblast"]),
        ("brain", ["cerebral cortex", "hippocampal formation"], ["glutamatergic neuron", "astrocyte", "oligodendrocyte", "microglial cell"]),
        ("kidney", ["kidney", "renal medulla"], ["kidney proximal convoluted tubule epithelial cell", "podocyte", "endothelial cell", "T cell"]),
        ("liver", ["liver", "caudate lobe of liver"], ["hepatocyte", "Kupffer cell", "cholangiocyte", "endothelial cell"]),
        ("heart", ["heart left ventricle", "right cardiac atrium"], ["cardiac muscle cell", "fibroblast", "endothelial cell", "macrophage"]),
    ];

    public static readonly string[] Sexes = ["female", "male"];
    public static readonly string[] DevelopmentStages = ["22-year-old human stage", "35-year-old human stage", "47-year-old human stage", "58-year-old human stage", "71-year-old human stage"];
    public static readonly string[] Ethnicities = ["European", "Asian", "African American", "Hispanic or Latin American", "unknown"];

    /// <summary>Every distinct cell type, in a fixed order (each has its own gene program).</summary>
    public static readonly string[] CellTypes = Tissues.SelectMany(t => t.CellTypes).Distinct().ToArray();
}
