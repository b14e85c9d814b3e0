namespace Reactor.Native;

/// <summary>
/// Numbers the datagram, multicast and UNIX-socket code compares against, with their Linux and
/// BSD/macOS values, each defined once (the stream ones live in <see cref="NativeConstants"/>).
/// </summary>
internal static class DatagramConstants
{
    /// <summary>MSG_TRUNC: in recvfrom flags (Linux), return the datagram's real length even when it did not fit.</summary>
    public static readonly int MSG_TRUNC = NativePlatform.IsLinux ? 0x20 : 0x10;

    /// <summary>MSG_CTRUNC in msg_flags: ancillary data was cut off for lack of room.</summary>
    public static readonly int MSG_CTRUNC = NativePlatform.IsLinux ? 0x8 : 0x20;

    /// <summary>MSG_CMSG_CLOEXEC (Linux only; 0 elsewhere): received descriptors are close-on-exec.</summary>
    public static readonly int MSG_CMSG_CLOEXEC = NativePlatform.IsLinux ? 0x40000000 : 0;

    /// <summary>SCM_RIGHTS: the ancillary message type that carries descriptors (1 everywhere).</summary>
    public const int SCM_RIGHTS = 1;

    /// <summary>SO_PEERCRED (Linux): the connected peer's pid, uid and gid; 0 where absent.</summary>
    public static readonly int SO_PEERCRED = NativePlatform.IsLinux ? 17 : 0;

    /// <summary>SOL_LOCAL (macOS): the level of LOCAL_PEERCRED / LOCAL_PEERPID.</summary>
    public const int SOL_LOCAL = 0;

    /// <summary>LOCAL_PEERCRED (macOS): the peer's <c>struct xucred</c>.</summary>
    public const int LOCAL_PEERCRED = 0x001;

    /// <summary>LOCAL_PEERPID (macOS): the peer's pid.</summary>
    public const int LOCAL_PEERPID = 0x002;

    /// <summary>IPPROTO_IP.</summary>
    public const int IPPROTO_IP = 0;

    /// <summary>IP_MTU (Linux only): the path MTU of a connected socket; 0 elsewhere.</summary>
    public static readonly int IP_MTU = NativePlatform.IsLinux ? 14 : 0;

    /// <summary>LOCK_EX for flock(2).</summary>
    public const int LOCK_EX = 2;

    /// <summary>LOCK_NB for flock(2): fail with EWOULDBLOCK instead of waiting.</summary>
    public const int LOCK_NB = 4;

    /// <summary>LOCK_UN for flock(2).</summary>
    public const int LOCK_UN = 8;

    /// <summary>O_RDWR for open(2).</summary>
    public const int O_RDWR = 2;

    /// <summary>O_RDONLY for open(2).</summary>
    public const int O_RDONLY = 0;

    /// <summary>O_CREAT for open(2).</summary>
    public static readonly int O_CREAT = NativePlatform.IsLinux ? 0x40 : 0x200;

    /// <summary>O_NOFOLLOW for open(2): fail (ELOOP) rather than follow a symbolic link.</summary>
    public static readonly int O_NOFOLLOW = NativePlatform.IsLinux ? 0x20000 : 0x100;

    /// <summary>O_CLOEXEC for open(2) (macOS has it for open, unlike pipe2).</summary>
    public static readonly int O_CLOEXEC = NativePlatform.IsLinux ? 0x80000 : NativePlatform.IsMacOS ? 0x1000000 : 0x100000;

    /// <summary>ENXIO: open(2) of a socket file on Linux.</summary>
    public static readonly Errno ENXIO = new(6);

    /// <summary>ESRCH: no such process (the same number on Linux and the BSDs).</summary>
    public static readonly Errno ESRCH = new(3);
}
