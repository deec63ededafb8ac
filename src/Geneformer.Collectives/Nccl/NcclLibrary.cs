namespace Geneformer.Collectives.Nccl;

/// <summary>Which NCCL this process would use, and its version, without a GPU being needed.</summary>
public static class NcclLibrary
{
    public static (string? Path, string? Version, string? Error) Describe()
    {
        var (path, error) = CudaLibraries.FindNccl();
        if (path is null) return (null, null, error);
        CudaLibraries.UseResolver();
        try
        {
            NcclMapping.Check(NcclNative.ncclGetVersion(out var code), "ncclGetVersion");
            return (path, VersionText(code), null);
        }
        catch (Exception e) when (e is NcclException or EntryPointNotFoundException or DllNotFoundException)
        {
            return (path, null, e.Message);
        }
    }

    /// <summary>NCCL_VERSION_CODE: major*10000 + minor*100 + patch since 2.9 (major*1000 + minor*100 + patch before).</summary>
    public static string VersionText(int code) =>
        code >= 20900 ? $"{code / 10000}.{code / 100 % 100}.{code % 100}" : $"{code / 1000}.{code / 100 % 10}.{code % 100}";
}
