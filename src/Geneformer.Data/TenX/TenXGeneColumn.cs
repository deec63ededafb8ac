namespace Geneformer.Data.TenX;

/// <summary>Which 10x feature column gives gene ids: Ensembl ids (the default) or symbols.</summary>
internal enum TenXGeneColumn
{
    EnsemblId,
    Symbol,
}
