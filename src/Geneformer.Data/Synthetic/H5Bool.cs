namespace Geneformer.Data.Synthetic;

/// <summary>HDF5 boolean as h5py writes it (an enum over one byte).</summary>
internal enum H5Bool : byte { FALSE = 0, TRUE = 1 }
