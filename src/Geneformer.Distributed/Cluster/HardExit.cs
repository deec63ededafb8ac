using System.Runtime.InteropServices;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Ends the process at once with an exit code, as C's <c>_exit</c>: no finalizers, no static destructors. An aborted
/// rank whose training thread is still inside libtorch or a collective cannot run them safely (libtorch's teardown
/// under a running kernel segfaults), and it has nothing left to save: the job resumes from a committed checkpoint.
/// </summary>
internal static partial class HardExit
{
    [LibraryImport("libc.so.6", EntryPoint = "_exit")]
    private static partial void Exit(int status);

    public static void Now(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux()) Exit(code);
        Environment.Exit(code);
    }
}
