using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// The numbers of the process interfaces, per OS: posix_spawn flags, wait options and the
/// siginfo layout, signal numbers, and the Linux system-call numbers used through
/// <c>syscall(2)</c>. Kept apart from <see cref="NativeConstants"/> so the socket constants stay short.
/// </summary>
internal static class ProcessConstants
{
    /// <summary>POSIX_SPAWN_SETSIGDEF: reset the listed signals to their default action in the child.</summary>
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;

    /// <summary>POSIX_SPAWN_SETSIGMASK: give the child the given signal mask.</summary>
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>POSIX_SPAWN_SETSID: the child starts a new session (0 where the OS has no such flag).</summary>
    public static readonly short POSIX_SPAWN_SETSID = NativePlatform.IsLinux ? (short)0x80 : NativePlatform.IsMacOS ? (short)0x400 : (short)0;

    /// <summary>macOS POSIX_SPAWN_CLOEXEC_DEFAULT: every descriptor not named by a file action is closed.</summary>
    public const short POSIX_SPAWN_CLOEXEC_DEFAULT = 0x4000;

    /// <summary>Bytes reserved for a posix_spawnattr_t or posix_spawn_file_actions_t (glibc: 336 and 80; macOS: a pointer).</summary>
    public const int SpawnObjectSize = 512;

    /// <summary>Bytes reserved for a sigset_t (glibc: 128; macOS: 4).</summary>
    public const int SigSetSize = 128;

    /// <summary>waitid idtype P_PID.</summary>
    public const int P_PID = 1;

    /// <summary>waitid idtype P_PIDFD (Linux ≥ 5.4).</summary>
    public const int P_PIDFD = 3;

    /// <summary>WNOHANG.</summary>
    public const int WNOHANG = 1;

    /// <summary>WEXITED (waitid).</summary>
    public const int WEXITED = 4;

    /// <summary>siginfo_t si_code for a child that called exit.</summary>
    public const int CLD_EXITED = 1;

    /// <summary>siginfo_t si_code for a child killed by a signal.</summary>
    public const int CLD_KILLED = 2;

    /// <summary>siginfo_t si_code for a child killed by a signal that dumped core.</summary>
    public const int CLD_DUMPED = 3;

    /// <summary>Bytes of a siginfo_t (128 on every Linux ABI).</summary>
    public const int SigInfoSize = 128;

    /// <summary>Offset of si_code in siginfo_t.</summary>
    public const int SigInfoCodeOffset = 8;

    /// <summary>Offset of si_pid in siginfo_t (the union starts pointer-aligned after three ints).</summary>
    public static readonly int SigInfoPidOffset = IntPtr.Size == 8 ? 16 : 12;

    /// <summary>Offset of si_status in siginfo_t (after si_pid and si_uid).</summary>
    public static readonly int SigInfoStatusOffset = SigInfoPidOffset + 8;

    /// <summary>access(2) X_OK.</summary>
    public const int X_OK = 1;

    /// <summary>O_RDWR.</summary>
    public const int O_RDWR = 2;

    /// <summary>O_NOCTTY: opening a terminal does not make it the controlling one.</summary>
    public static readonly int O_NOCTTY = NativePlatform.IsLinux ? 0x100 : NativePlatform.IsMacOS ? 0x20000 : 0x8000;

    /// <summary>O_CLOEXEC as an open(2) flag.</summary>
    public static readonly int O_CLOEXEC = NativePlatform.IsLinux ? 0x80000 : NativePlatform.IsMacOS ? 0x1000000 : 0x100000;

    /// <summary>F_DUPFD_CLOEXEC: duplicate to the lowest free descriptor at or above the argument, close-on-exec.</summary>
    public static readonly int F_DUPFD_CLOEXEC = NativePlatform.IsLinux ? 1030 : NativePlatform.IsMacOS ? 67 : 17;

    /// <summary>pidfd_open(2) (the same number on every Linux architecture).</summary>
    public const int SYS_pidfd_open = 434;

    /// <summary>pidfd_send_signal(2) (the same number on every Linux architecture).</summary>
    public const int SYS_pidfd_send_signal = 424;

    /// <summary>setgroups(2), the raw (per-thread) system call; 0 where unknown.</summary>
    public static readonly int SYS_setgroups = Arch(x64: 116, arm64: 159);

    /// <summary>setresuid(2), the raw (per-thread) system call; 0 where unknown.</summary>
    public static readonly int SYS_setresuid = Arch(x64: 117, arm64: 147);

    /// <summary>setresgid(2), the raw (per-thread) system call; 0 where unknown.</summary>
    public static readonly int SYS_setresgid = Arch(x64: 119, arm64: 149);

    /// <summary>Signal names (without "SIG") and their numbers on this OS.</summary>
    public static readonly IReadOnlyDictionary<string, int> Signals = NativePlatform.IsLinux
        ? new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["BUS"] = 7,
            ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13,
            ["ALRM"] = 14, ["TERM"] = 15, ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20,
            ["TTIN"] = 21, ["TTOU"] = 22, ["URG"] = 23, ["WINCH"] = 28,
        }
        : new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["FPE"] = 8,
            ["KILL"] = 9, ["BUS"] = 10, ["SEGV"] = 11, ["PIPE"] = 13, ["ALRM"] = 14, ["TERM"] = 15,
            ["URG"] = 16, ["STOP"] = 17, ["TSTP"] = 18, ["CONT"] = 19, ["CHLD"] = 20, ["TTIN"] = 21,
            ["TTOU"] = 22, ["WINCH"] = 28, ["USR1"] = 30, ["USR2"] = 31,
        };

    /// <summary>ESRCH: no such process.</summary>
    public static readonly Errno ESRCH = new(3);

    /// <summary>E2BIG: the argument list is too long.</summary>
    public static readonly Errno E2BIG = new(7);

    /// <summary>ENOEXEC: not an executable format.</summary>
    public static readonly Errno ENOEXEC = new(8);

    /// <summary>ECHILD: no such child (someone else reaped it).</summary>
    public static readonly Errno ECHILD = new(10);

    /// <summary>ENOTDIR: a path component is not a directory.</summary>
    public static readonly Errno ENOTDIR = new(20);

    private static int Arch(int x64, int arm64) =>
        !NativePlatform.IsLinux ? 0
        : RuntimeInformation.ProcessArchitecture == Architecture.X64 ? x64
        : RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? arm64
        : 0;
}
