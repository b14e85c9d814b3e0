using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// Whether the calling thread is the process's main thread (the one <c>Main</c> runs on). .NET has
/// no such property, so ask the OS: on Linux the main thread's id equals the process id; the BSDs
/// and macOS answer <c>pthread_main_np</c>.
/// </summary>
internal static partial class MainThread
{
    private const string Library = "libc";

    static MainThread() => LibcResolver.EnsureRegistered();

    /// <summary>True on the process's main thread; false elsewhere and where the OS cannot tell.</summary>
    public static bool IsCurrent()
    {
        try
        {
            return NativePlatform.Os switch
            {
                NativeOs.Linux => GetTid() == Environment.ProcessId,
                NativeOs.MacOS or NativeOs.FreeBsd => PthreadMainNp() == 1,
                _ => false,
            };
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // an old libc without gettid: behave as off the main thread
        }
    }

    [LibraryImport(Library, EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport(Library, EntryPoint = "pthread_main_np")]
    private static partial int PthreadMainNp();
}
