namespace Geneformer.Model.Native;

/// <summary>A GPU as the driver reports it.</summary>
public sealed record CudaDevice(int Index, string Name, long TotalMemoryBytes);
