using Reactor.Native;

namespace Reactor.Tests.Selectors;

/// <summary>Raises RLIMIT_NOFILE's soft limit for tests that open thousands of descriptors.</summary>
internal static class FileLimit
{
    /// <summary>Raises the soft limit towards the hard limit if it is below <paramref name="wanted"/>.</summary>
    public static void EnsureAtLeast(int wanted)
    {
        ISyscalls sys = LibcSyscalls.Instance;
        if (sys.GetOpenFileLimit(out ulong soft, out ulong hard, out Errno errno) < 0) throw errno.ToIOException("getrlimit");
        if (soft >= (ulong)wanted) return;
        ulong target = NativePlatform.IsMacOS ? Math.Min(hard, NativeConstants.MacOSOpenMax) : hard;
        if (sys.SetOpenFileLimit(target, hard, out errno) < 0) throw errno.ToIOException("setrlimit");
        if (target < (ulong)wanted) Assert.Ignore($"RLIMIT_NOFILE hard limit {hard} is below the {wanted} descriptors this test needs.");
    }
}
