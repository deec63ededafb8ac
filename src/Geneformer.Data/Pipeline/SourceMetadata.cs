using Geneformer.Data.Corpus;
using Geneformer.Data.Matrix;

namespace Geneformer.Data.Pipeline;

/// <summary>The per-cell metadata the corpus keeps, read from a file's obs with CELLxGENE fallbacks.</summary>
public sealed class SourceMetadata
{
    private readonly IReadOnlyList<string> cellIds;
    private readonly IReadOnlyList<string?>? datasetIds;
    private readonly string fileDatasetId;
    private readonly IReadOnlyList<string?>?[] columns;

    private SourceMetadata(IReadOnlyList<string> cellIds, IReadOnlyList<string?>? datasetIds, string fileDatasetId, IReadOnlyList<string?>?[] columns)
    {
        this.cellIds = cellIds;
        this.datasetIds = datasetIds;
        this.fileDatasetId = fileDatasetId;
        this.columns = columns;
    }

    /// <summary>Obs columns tried, in order, for each kept field (the first present wins).</summary>
    private static readonly string[][] Fallbacks =
    [
        ["assay", "assay_ontology_term_id"],
        ["sex", "sex_ontology_term_id"],
        ["development_stage", "development_stage_ontology_term_id"],
        ["tissue_general", "tissue", "tissue_general_ontology_term_id", "tissue_ontology_term_id"],
        ["self_reported_ethnicity", "self_reported_ethnicity_ontology_term_id", "ethnicity", "ethnicity_ontology_term_id"],
        ["cell_type", "cell_type_ontology_term_id"],
    ];

    public static SourceMetadata Read(ICellSource source)
    {
        var present = new HashSet<string>(source.ObsColumns, StringComparer.Ordinal);
        var datasetIds = present.Contains("dataset_id") ? source.ReadObsColumn("dataset_id") : null;
        var columns = Fallbacks.Select(names => names.FirstOrDefault(present.Contains) is { } c ? source.ReadObsColumn(c) : null).ToArray();
        return new SourceMetadata(source.CellIds, datasetIds, DatasetIdFromFileName(source.Path), columns);
    }

    /// <summary>The file (or 10x folder) name without extensions: what a file with no dataset_id column is called.</summary>
    public static string DatasetIdFromFileName(string path)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        foreach (var ext in new[] { ".gz", ".h5ad", ".h5", ".mtx" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) name = name[..^ext.Length];
        return name;
    }

    public string DatasetId(int cell) => datasetIds?[cell] is { Length: > 0 } d ? d : fileDatasetId;
    public string? Assay(int cell) => columns[0]?[cell];
    public string? TissueGeneral(int cell) => columns[3]?[cell];

    public CellMetadata For(int cell) => new(cellIds[cell], DatasetId(cell),
        columns[0]?[cell], columns[1]?[cell], columns[2]?[cell], columns[3]?[cell], columns[4]?[cell], columns[5]?[cell]);
}
