using System.Runtime.InteropServices;

namespace Geneformer.Model.Native;

/// <summary>
/// dlopen with explicit flags. .NET's <see cref="NativeLibrary.Load(string)"/> opens lazily, so a library whose
/// symbols a dependency lacks loads and then fails at the first call; RTLD_NOW makes that a load-time error.
/// </summary>
public static partial class NativeLoader
{
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlOpen(string path, int flags);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial IntPtr DlError();

    /// <summary>Opens <paramref name="path"/> resolving every symbol now and making them visible to later libraries; on failure, dlerror's text.</summary>
    public static bool TryOpenNow(string path, out IntPtr handle, out string? error)
    {
        handle = DlOpen(path, RtldNow | RtldGlobal);
        error = handle == IntPtr.Zero ? Marshal.PtrToStringUTF8(DlError()) : null;
        return handle != IntPtr.Zero;
    }
}
