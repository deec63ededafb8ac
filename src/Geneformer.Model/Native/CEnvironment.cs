using System.Runtime.InteropServices;

namespace Geneformer.Model.Native;

/// <summary>The C library's environment, which native libraries read; <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's copy.</summary>
public static partial class CEnvironment
{
    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc.so.6", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);

    public static void Set(string name, string value)
    {
        if (SetEnv(name, value, 1) != 0) throw new InvalidOperationException($"setenv({name}) failed");
    }

    public static string? Get(string name) => Marshal.PtrToStringUTF8(GetEnv(name));
}
