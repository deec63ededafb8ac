using Geneformer.Data.Corpus;

namespace Geneformer.Training;

/// <summary>Errors that a restart of the job would meet again, so a coordinator stops the job instead of spending its restart budget.</summary>
public static class PermanentFailure
{
    private const int LinuxNoSpace = 28;        // ENOSPC
    private const int LinuxQuotaExceeded = 122; // EDQUOT
    private const int WindowsDiskFull = 0x70;   // ERROR_DISK_FULL

    public static bool Is(Exception e) => e switch
    {
        CorruptShardException => true,
        IOException io when IsDiskFull(io) => true,
        AggregateException a => a.InnerExceptions.Any(Is),
        _ => e.InnerException is { } inner && Is(inner),
    };

    private static bool IsDiskFull(IOException e) =>
        (e.HResult & 0xFFFF) is LinuxNoSpace or LinuxQuotaExceeded or WindowsDiskFull || e.Message.Contains("No space left on device", StringComparison.Ordinal);
}
