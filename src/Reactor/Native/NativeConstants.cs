namespace Reactor.Native;

/// <summary>
/// Flag and option numbers that differ between Linux and the BSDs/macOS, each defined once.
/// Numbers that are the same everywhere (poll bits, SHUT_*, SOCK_STREAM) are plain constants.
/// </summary>
internal static class NativeConstants
{
    // fcntl(2)
    /// <summary>F_GETFD.</summary>
    public const int F_GETFD = 1;

    /// <summary>F_SETFD.</summary>
    public const int F_SETFD = 2;

    /// <summary>F_GETFL.</summary>
    public const int F_GETFL = 3;

    /// <summary>F_SETFL.</summary>
    public const int F_SETFL = 4;

    /// <summary>FD_CLOEXEC, the only descriptor flag.</summary>
    public const int FD_CLOEXEC = 1;

    /// <summary>O_NONBLOCK as a file status flag.</summary>
    public static readonly int O_NONBLOCK = NativePlatform.IsLinux ? 0x800 : 0x4;

    /// <summary>O_CLOEXEC (pipe2 flags); 0 where the OS has no pipe2 (macOS).</summary>
    public static readonly int O_CLOEXEC =
        NativePlatform.IsLinux ? 0x80000 : NativePlatform.IsFreeBsd ? 0x100000 : 0;

    // socket(2) type flags
    /// <summary>SOCK_STREAM.</summary>
    public const int SOCK_STREAM = 1;

    /// <summary>SOCK_DGRAM.</summary>
    public const int SOCK_DGRAM = 2;

    /// <summary>SOCK_NONBLOCK for socket/socketpair/accept4; 0 where unsupported (macOS).</summary>
    public static readonly int SOCK_NONBLOCK =
        NativePlatform.IsLinux ? 0x800 : NativePlatform.IsFreeBsd ? 0x20000000 : 0;

    /// <summary>SOCK_CLOEXEC for socket/socketpair/accept4; 0 where unsupported (macOS).</summary>
    public static readonly int SOCK_CLOEXEC =
        NativePlatform.IsLinux ? 0x80000 : NativePlatform.IsFreeBsd ? 0x10000000 : 0;

    /// <summary>True where accept4, pipe2 and SOCK_NONBLOCK exist (Linux, FreeBSD).</summary>
    public static readonly bool HasAtomicNonBlockingFlags = NativePlatform.IsLinux || NativePlatform.IsFreeBsd;

    // address families
    /// <summary>AF_UNIX.</summary>
    public const int AF_UNIX = 1;

    /// <summary>AF_INET.</summary>
    public const int AF_INET = 2;

    /// <summary>AF_INET6.</summary>
    public static readonly int AF_INET6 = NativePlatform.IsLinux ? 10 : NativePlatform.IsMacOS ? 30 : 28;

    // send(2) flags
    /// <summary>MSG_NOSIGNAL: no SIGPIPE on a broken connection; 0 on macOS (which uses SO_NOSIGPIPE).</summary>
    public static readonly int MSG_NOSIGNAL =
        NativePlatform.IsLinux ? 0x4000 : NativePlatform.IsFreeBsd ? 0x20000 : 0;

    // socket options
    /// <summary>SOL_SOCKET.</summary>
    public static readonly int SOL_SOCKET = NativePlatform.IsLinux ? 1 : 0xffff;

    /// <summary>SO_REUSEADDR.</summary>
    public static readonly int SO_REUSEADDR = NativePlatform.IsLinux ? 2 : 0x4;

    /// <summary>SO_ERROR: read and clear the pending socket error (a finished non-blocking connect).</summary>
    public static readonly int SO_ERROR = NativePlatform.IsLinux ? 4 : 0x1007;

    /// <summary>SO_SNDBUF.</summary>
    public static readonly int SO_SNDBUF = NativePlatform.IsLinux ? 7 : 0x1001;

    /// <summary>SO_RCVBUF.</summary>
    public static readonly int SO_RCVBUF = NativePlatform.IsLinux ? 8 : 0x1002;

    /// <summary>SO_KEEPALIVE.</summary>
    public static readonly int SO_KEEPALIVE = NativePlatform.IsLinux ? 9 : 0x8;

    /// <summary>SO_LINGER.</summary>
    public static readonly int SO_LINGER = NativePlatform.IsLinux ? 13 : 0x80;

    /// <summary>SO_REUSEPORT.</summary>
    public static readonly int SO_REUSEPORT = NativePlatform.IsLinux ? 15 : 0x200;

    /// <summary>SO_NOSIGPIPE (macOS/FreeBSD only; 0 elsewhere).</summary>
    public static readonly int SO_NOSIGPIPE = NativePlatform.IsMacOS ? 0x1022 : NativePlatform.IsFreeBsd ? 0x800 : 0;

    /// <summary>IPPROTO_TCP.</summary>
    public const int IPPROTO_TCP = 6;

    /// <summary>TCP_NODELAY (level IPPROTO_TCP).</summary>
    public const int TCP_NODELAY = 1;

    // getrlimit(2)
    /// <summary>RLIMIT_NOFILE.</summary>
    public static readonly int RLIMIT_NOFILE = NativePlatform.IsLinux ? 7 : 8;

    /// <summary>The most descriptors macOS lets a process raise its soft limit to (OPEN_MAX).</summary>
    public const ulong MacOSOpenMax = 10240;

    // epoll (Linux only)
    /// <summary>EPOLLIN.</summary>
    public const uint EPOLLIN = 0x001;

    /// <summary>EPOLLPRI.</summary>
    public const uint EPOLLPRI = 0x002;

    /// <summary>EPOLLOUT.</summary>
    public const uint EPOLLOUT = 0x004;

    /// <summary>EPOLLERR.</summary>
    public const uint EPOLLERR = 0x008;

    /// <summary>EPOLLHUP.</summary>
    public const uint EPOLLHUP = 0x010;

    /// <summary>EPOLLRDHUP: the peer shut down its writing side.</summary>
    public const uint EPOLLRDHUP = 0x2000;

    /// <summary>EPOLLET.</summary>
    public const uint EPOLLET = 1u << 31;

    /// <summary>EPOLL_CTL_ADD.</summary>
    public const int EPOLL_CTL_ADD = 1;

    /// <summary>EPOLL_CTL_DEL.</summary>
    public const int EPOLL_CTL_DEL = 2;

    /// <summary>EPOLL_CTL_MOD.</summary>
    public const int EPOLL_CTL_MOD = 3;

    /// <summary>EPOLL_CLOEXEC (= O_CLOEXEC on Linux).</summary>
    public const int EPOLL_CLOEXEC = 0x80000;

    /// <summary>EFD_NONBLOCK.</summary>
    public const int EFD_NONBLOCK = 0x800;

    /// <summary>EFD_CLOEXEC.</summary>
    public const int EFD_CLOEXEC = 0x80000;

    // poll(2): the same bits on Linux, macOS and the BSDs
    /// <summary>POLLIN.</summary>
    public const short POLLIN = 0x001;

    /// <summary>POLLPRI.</summary>
    public const short POLLPRI = 0x002;

    /// <summary>POLLOUT.</summary>
    public const short POLLOUT = 0x004;

    /// <summary>POLLERR.</summary>
    public const short POLLERR = 0x008;

    /// <summary>POLLHUP.</summary>
    public const short POLLHUP = 0x010;

    /// <summary>POLLNVAL: the descriptor is not open.</summary>
    public const short POLLNVAL = 0x020;

    /// <summary>POLLRDHUP (Linux only; 0 elsewhere): the peer shut down its writing side.</summary>
    public static readonly short POLLRDHUP = NativePlatform.IsLinux ? (short)0x2000 : (short)0;

    // select(2)
    /// <summary>FD_SETSIZE: the bitmask in fd_set holds descriptors 0..1023 on Linux, macOS and the BSDs.</summary>
    public const int FD_SETSIZE = 1024;

    // kqueue
    /// <summary>EVFILT_READ.</summary>
    public const short EVFILT_READ = -1;

    /// <summary>EVFILT_WRITE.</summary>
    public const short EVFILT_WRITE = -2;

    /// <summary>EVFILT_USER on macOS.</summary>
    public const short EVFILT_USER_DARWIN = -10;

    /// <summary>EVFILT_USER on FreeBSD and libkqueue (which follows FreeBSD's numbering).</summary>
    public const short EVFILT_USER_FREEBSD = -11;

    /// <summary>EV_ADD.</summary>
    public const ushort EV_ADD = 0x0001;

    /// <summary>EV_DELETE.</summary>
    public const ushort EV_DELETE = 0x0002;

    /// <summary>EV_ENABLE.</summary>
    public const ushort EV_ENABLE = 0x0004;

    /// <summary>EV_DISABLE.</summary>
    public const ushort EV_DISABLE = 0x0008;

    /// <summary>EV_CLEAR: reset the state after it is reported (edge-like; used for the wake-up filter).</summary>
    public const ushort EV_CLEAR = 0x0020;

    /// <summary>EV_RECEIPT: report every change's outcome instead of pending events.</summary>
    public const ushort EV_RECEIPT = 0x0040;

    /// <summary>EV_ERROR: the entry carries an errno in <c>data</c>.</summary>
    public const ushort EV_ERROR = 0x4000;

    /// <summary>EV_EOF: the peer closed (or the filter hit end of file).</summary>
    public const ushort EV_EOF = 0x8000;

    /// <summary>NOTE_TRIGGER: fire an EVFILT_USER event.</summary>
    public const uint NOTE_TRIGGER = 0x01000000;
}
