using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>The operating system families whose kernel interfaces differ in numbers or layouts.</summary>
internal enum NativeOs
{
    /// <summary>Linux (glibc or musl): epoll, eventfd, accept4, MSG_NOSIGNAL.</summary>
    Linux,

    /// <summary>macOS: kqueue with the 32-byte Darwin kevent, no accept4/pipe2, SO_NOSIGPIPE.</summary>
    MacOS,

    /// <summary>FreeBSD (and its relatives): kqueue with the 64-byte kevent of FreeBSD 12+.</summary>
    FreeBsd,

    /// <summary>Windows: only select (Winsock) applies; the libc seam is not available.</summary>
    Windows,

    /// <summary>Any other POSIX system: treated as BSD-numbered, poll/select only.</summary>
    Other,
}

/// <summary>Which OS and architecture this process runs on, decided once.</summary>
internal static class NativePlatform
{
    /// <summary>The OS family of this process.</summary>
    public static readonly NativeOs Os =
        OperatingSystem.IsLinux() || OperatingSystem.IsAndroid() ? NativeOs.Linux
        : OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsMacCatalyst() ? NativeOs.MacOS
        : OperatingSystem.IsFreeBSD() ? NativeOs.FreeBsd
        : OperatingSystem.IsWindows() ? NativeOs.Windows
        : NativeOs.Other;

    /// <summary>True on Linux.</summary>
    public static readonly bool IsLinux = Os == NativeOs.Linux;

    /// <summary>True on macOS (and the other Darwin systems).</summary>
    public static readonly bool IsMacOS = Os == NativeOs.MacOS;

    /// <summary>True on FreeBSD.</summary>
    public static readonly bool IsFreeBsd = Os == NativeOs.FreeBsd;

    /// <summary>True on Windows.</summary>
    public static readonly bool IsWindows = Os == NativeOs.Windows;

    /// <summary>True on Apple silicon, where variadic C arguments go on the stack, not in registers.</summary>
    public static readonly bool IsAppleArm64 =
        IsMacOS && RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>
    /// True where the kernel's <c>struct epoll_event</c> is packed (12 bytes): Linux declares it with
    /// <c>__attribute__((packed))</c> on x86-64, and i386 aligns 64-bit fields to 4 anyway.
    /// </summary>
    public static readonly bool EpollEventIsPacked =
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;
}
