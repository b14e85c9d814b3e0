using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// kqueue and kevent, loaded at run time through function pointers rather than a fixed
/// <c>LibraryImport</c>, so the library can be chosen: <c>REACTOR_KQUEUE_LIBRARY</c> (the path of
/// a library exporting kqueue/kevent with the BSD ABI, such as libkqueue on Linux) when set, the
/// C library on macOS and FreeBSD, and libkqueue if it is installed on Linux.
/// </summary>
internal sealed unsafe class KqueueLibrary
{
    /// <summary>The environment variable naming a kqueue library to use instead of the OS's.</summary>
    public const string EnvironmentVariable = "REACTOR_KQUEUE_LIBRARY";

    private static readonly Lazy<KqueueLibrary?> Loaded = new(Load);
    private static string? _failure;

    private readonly delegate* unmanaged<int> _kqueue;
    private readonly delegate* unmanaged<int, void*, int, void*, int, TimeSpec*, int> _kevent;

    private KqueueLibrary(string path, IntPtr kqueue, IntPtr kevent, KeventAbi abi)
    {
        Path = path;
        _kqueue = (delegate* unmanaged<int>)kqueue;
        _kevent = (delegate* unmanaged<int, void*, int, void*, int, TimeSpec*, int>)kevent;
        Abi = abi;
    }

    /// <summary>The loaded library, or null when none could be found (see <see cref="Failure"/>).</summary>
    public static KqueueLibrary? Instance => Loaded.Value;

    /// <summary>Why <see cref="Instance"/> is null.</summary>
    public static string? Failure
    {
        get
        {
            _ = Loaded.Value;
            return _failure;
        }
    }

    /// <summary>Where kqueue/kevent were found.</summary>
    public string Path { get; }

    /// <summary>The kevent ABI the library speaks.</summary>
    public KeventAbi Abi { get; }

    /// <summary>kqueue(), with the errno captured the way LibraryImport's SetLastError does it.</summary>
    public int Kqueue(out Errno errno)
    {
        Marshal.SetLastSystemError(0);
        int result = _kqueue();
        errno = result < 0 ? new Errno(Marshal.GetLastSystemError()) : Errno.Success;
        return result;
    }

    /// <summary>kevent().</summary>
    public int Kevent(int kq, void* changes, int changeCount, void* events, int eventCount, TimeSpec* timeout, out Errno errno)
    {
        Marshal.SetLastSystemError(0);
        int result = _kevent(kq, changes, changeCount, events, eventCount, timeout);
        errno = result < 0 ? new Errno(Marshal.GetLastSystemError()) : Errno.Success;
        return result;
    }

    private static KqueueLibrary? Load()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            // An emulation on Linux follows FreeBSD's filter numbers with the 32-byte struct.
            KeventAbi abi = NativePlatform.IsMacOS ? KeventAbi.Darwin
                : NativePlatform.IsFreeBsd ? KeventAbi.FreeBsd
                : KeventAbi.LibKqueue;
            return TryOpen(configured, abi, out KqueueLibrary? chosen, out _failure)
                ? chosen
                : null;
        }

        (string[] candidates, KeventAbi nativeAbi) = NativePlatform.Os switch
        {
            NativeOs.MacOS => (new[] { "/usr/lib/libSystem.dylib", "libSystem.dylib" }, KeventAbi.Darwin),
            NativeOs.FreeBsd => (new[] { "libc.so.7", "libc.so" }, KeventAbi.FreeBsd),
            NativeOs.Linux => (new[] { "libkqueue.so.0", "libkqueue.so" }, KeventAbi.LibKqueue),
            _ => (Array.Empty<string>(), KeventAbi.FreeBsd),
        };
        string reasons = "";
        foreach (string candidate in candidates)
        {
            if (TryOpen(candidate, nativeAbi, out KqueueLibrary? library, out string? reason)) return library;
            reasons += reason + " ";
        }

        _failure = $"kqueue is not available on {NativePlatform.Os} (set {EnvironmentVariable} to a library " +
                   $"exporting kqueue/kevent with the BSD ABI). {reasons}".TrimEnd();
        return null;
    }

    /// <summary>Loads kqueue/kevent from <paramref name="path"/>; false with a reason naming the path when it cannot.</summary>
    internal static bool TryOpen(string path, KeventAbi abi, out KqueueLibrary? library, out string? reason)
    {
        library = null;
        if (!NativeLibrary.TryLoad(path, out IntPtr handle))
        {
            reason = $"Could not load '{path}'.";
            return false;
        }

        if (!NativeLibrary.TryGetExport(handle, "kqueue", out IntPtr kqueue) ||
            !NativeLibrary.TryGetExport(handle, "kevent", out IntPtr kevent))
        {
            reason = $"'{path}' does not export kqueue and kevent.";
            return false;
        }

        library = new KqueueLibrary(path, kqueue, kevent, abi);
        reason = null;
        return true;
    }
}
