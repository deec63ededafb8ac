namespace Geneformer.Data.AnnData;

/// <summary>How the chosen AnnData matrix is stored.</summary>
public enum AnnDataMatrixLayout
{
    /// <summary>Compressed sparse rows (cells major): read directly in row blocks.</summary>
    Csr,

    /// <summary>Compressed sparse columns (genes major): transposed out of core.</summary>
    Csc,

    /// <summary>A 2-D cells x genes dataset: read in row slabs.</summary>
    Dense,
}
