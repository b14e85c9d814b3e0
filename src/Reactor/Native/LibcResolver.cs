using System.Reflection;
using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// Maps the library name "libc" to the C library's real file on each OS: glibc's "libc.so" is a
/// linker script that dlopen cannot load, and macOS keeps libc inside libSystem.
/// </summary>
internal static class LibcResolver
{
    private static int _registered;

    /// <summary>Installs the resolver for this assembly once; later calls do nothing.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0) return;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(LibcResolver).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Someone else already installed a resolver for this assembly; it takes precedence
            // and the default probing applies to names it declines.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "libc") return IntPtr.Zero;
        foreach (string candidate in Candidates())
        {
            if (NativeLibrary.TryLoad(candidate, out IntPtr handle)) return handle;
        }

        return IntPtr.Zero;
    }

    private static string[] Candidates() => NativePlatform.Os switch
    {
        NativeOs.Linux => ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"],
        NativeOs.MacOS => ["/usr/lib/libSystem.dylib", "libSystem.dylib"],
        NativeOs.FreeBsd => ["libc.so.7", "libc.so"],
        _ => ["libc.so", "libc"],
    };
}
