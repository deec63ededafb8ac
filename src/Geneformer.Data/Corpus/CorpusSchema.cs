using Apache.Arrow;
using Apache.Arrow.Types;

namespace Geneformer.Data.Corpus;

/// <summary>Column names and the Arrow schema of a corpus shard.</summary>
public static class CorpusSchema
{
    public const string InputIds = "input_ids";
    public const string Length = "length";
    public const string CellId = "cell_id";
    public const string DatasetId = "dataset_id";
    public const string Assay = "assay";
    public const string Sex = "sex";
    public const string DevelopmentStage = "development_stage";
    public const string TissueGeneral = "tissue_general";
    public const string SelfReportedEthnicity = "self_reported_ethnicity";
    public const string CellType = "cell_type";

    /// <summary>The nullable string columns after dataset_id, in schema order.</summary>
    public static readonly string[] MetadataColumns = [Assay, Sex, DevelopmentStage, TissueGeneral, SelfReportedEthnicity, CellType];

    public static readonly ListType TokenListType = new(new Field("item", Int16Type.Default, nullable: false));
    public static readonly DictionaryType DatasetIdType = new(Int32Type.Default, StringType.Default, ordered: false);

    public static Schema Create() => new(
    [
        new Field(InputIds, TokenListType, nullable: false),
        new Field(Length, Int32Type.Default, nullable: false),
        new Field(CellId, StringType.Default, nullable: false),
        new Field(DatasetId, DatasetIdType, nullable: false),
        .. MetadataColumns.Select(c => new Field(c, StringType.Default, nullable: true)),
    ], metadata: null);
}
