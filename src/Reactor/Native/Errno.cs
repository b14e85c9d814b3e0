using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// A raw errno value as this OS numbers it. Every errno the project compares against is defined
/// here, once, with its Linux and BSD/macOS numbers, so no other file carries a magic number.
/// </summary>
/// <param name="Value">The OS's own number (0 = no error).</param>
internal readonly record struct Errno(int Value)
{
    /// <summary>No error.</summary>
    public static readonly Errno Success = new(0);

    /// <summary>Operation not permitted.</summary>
    public static readonly Errno EPERM = new(1);

    /// <summary>No such file or directory (also: kqueue/epoll filter not registered).</summary>
    public static readonly Errno ENOENT = new(2);

    /// <summary>Interrupted system call: a signal arrived before anything happened.</summary>
    public static readonly Errno EINTR = new(4);

    /// <summary>Input/output error.</summary>
    public static readonly Errno EIO = new(5);

    /// <summary>Bad file descriptor.</summary>
    public static readonly Errno EBADF = new(9);

    /// <summary>Resource temporarily unavailable: the operation would block (EWOULDBLOCK has the same number everywhere here).</summary>
    public static readonly Errno EAGAIN = new(Pick(linux: 11, bsd: 35));

    /// <summary>Out of memory.</summary>
    public static readonly Errno ENOMEM = new(12);

    /// <summary>Permission denied.</summary>
    public static readonly Errno EACCES = new(13);

    /// <summary>Bad address.</summary>
    public static readonly Errno EFAULT = new(14);

    /// <summary>Already exists (epoll: the descriptor is already registered).</summary>
    public static readonly Errno EEXIST = new(17);

    /// <summary>Invalid argument.</summary>
    public static readonly Errno EINVAL = new(22);

    /// <summary>The system-wide table of open files is full.</summary>
    public static readonly Errno ENFILE = new(23);

    /// <summary>This process has too many open descriptors.</summary>
    public static readonly Errno EMFILE = new(24);

    /// <summary>Broken pipe: the peer closed its reading side.</summary>
    public static readonly Errno EPIPE = new(32);

    /// <summary>Function not implemented.</summary>
    public static readonly Errno ENOSYS = new(Pick(linux: 38, bsd: 78));

    /// <summary>Not a socket.</summary>
    public static readonly Errno ENOTSOCK = new(Pick(linux: 88, bsd: 38));

    /// <summary>Message too long.</summary>
    public static readonly Errno EMSGSIZE = new(Pick(linux: 90, bsd: 40));

    /// <summary>Operation not supported on this socket.</summary>
    public static readonly Errno EOPNOTSUPP = new(NativePlatform.IsMacOS ? 102 : Pick(linux: 95, bsd: 45));

    /// <summary>Address family not supported.</summary>
    public static readonly Errno EAFNOSUPPORT = new(Pick(linux: 97, bsd: 47));

    /// <summary>Address already in use.</summary>
    public static readonly Errno EADDRINUSE = new(Pick(linux: 98, bsd: 48));

    /// <summary>Cannot assign the requested address.</summary>
    public static readonly Errno EADDRNOTAVAIL = new(Pick(linux: 99, bsd: 49));

    /// <summary>Network is down.</summary>
    public static readonly Errno ENETDOWN = new(Pick(linux: 100, bsd: 50));

    /// <summary>Network is unreachable.</summary>
    public static readonly Errno ENETUNREACH = new(Pick(linux: 101, bsd: 51));

    /// <summary>Software caused the connection to abort (accept: the peer reset before we took it).</summary>
    public static readonly Errno ECONNABORTED = new(Pick(linux: 103, bsd: 53));

    /// <summary>Connection reset by peer.</summary>
    public static readonly Errno ECONNRESET = new(Pick(linux: 104, bsd: 54));

    /// <summary>No buffer space available.</summary>
    public static readonly Errno ENOBUFS = new(Pick(linux: 105, bsd: 55));

    /// <summary>The socket is already connected.</summary>
    public static readonly Errno EISCONN = new(Pick(linux: 106, bsd: 56));

    /// <summary>The socket is not connected.</summary>
    public static readonly Errno ENOTCONN = new(Pick(linux: 107, bsd: 57));

    /// <summary>Cannot send after the socket was shut down.</summary>
    public static readonly Errno ESHUTDOWN = new(Pick(linux: 108, bsd: 58));

    /// <summary>Connection timed out.</summary>
    public static readonly Errno ETIMEDOUT = new(Pick(linux: 110, bsd: 60));

    /// <summary>Connection refused.</summary>
    public static readonly Errno ECONNREFUSED = new(Pick(linux: 111, bsd: 61));

    /// <summary>Host is down.</summary>
    public static readonly Errno EHOSTDOWN = new(Pick(linux: 112, bsd: 64));

    /// <summary>No route to host.</summary>
    public static readonly Errno EHOSTUNREACH = new(Pick(linux: 113, bsd: 65));

    /// <summary>A non-blocking connect is already in progress.</summary>
    public static readonly Errno EALREADY = new(Pick(linux: 114, bsd: 37));

    /// <summary>A non-blocking connect has started and will finish later.</summary>
    public static readonly Errno EINPROGRESS = new(Pick(linux: 115, bsd: 36));

    /// <summary>True when this is not an error.</summary>
    public bool IsSuccess => Value == 0;

    /// <summary>True for "try again later" (EAGAIN / EWOULDBLOCK): not a failure on a non-blocking descriptor.</summary>
    public bool IsWouldBlock => Value == EAGAIN.Value;

    /// <summary>The OS's description of this error (strerror).</summary>
    public string Message => Marshal.GetPInvokeErrorMessage(Value);

    /// <summary>The errno read right after a <c>SetLastError = true</c> P/Invoke returned.</summary>
    public static Errno FromLastPInvokeError() => new(Marshal.GetLastPInvokeError());

    /// <summary>The matching <see cref="SocketError"/>, for building a <see cref="SocketException"/>.</summary>
    public SocketError ToSocketError()
    {
        // A chain of comparisons rather than a switch: the numbers are per-OS, not constants.
        if (Value == 0) return SocketError.Success;
        if (this == EAGAIN) return SocketError.WouldBlock;
        if (this == EINPROGRESS) return SocketError.InProgress;
        if (this == EALREADY) return SocketError.AlreadyInProgress;
        if (this == EINTR) return SocketError.Interrupted;
        if (this == ECONNREFUSED) return SocketError.ConnectionRefused;
        if (this == ECONNRESET) return SocketError.ConnectionReset;
        if (this == ECONNABORTED) return SocketError.ConnectionAborted;
        if (this == EPIPE || this == ESHUTDOWN) return SocketError.Shutdown;
        if (this == ENOTCONN) return SocketError.NotConnected;
        if (this == EISCONN) return SocketError.IsConnected;
        if (this == ETIMEDOUT) return SocketError.TimedOut;
        if (this == EADDRINUSE) return SocketError.AddressAlreadyInUse;
        if (this == EADDRNOTAVAIL) return SocketError.AddressNotAvailable;
        if (this == ENETDOWN) return SocketError.NetworkDown;
        if (this == ENETUNREACH) return SocketError.NetworkUnreachable;
        if (this == EHOSTDOWN) return SocketError.HostDown;
        if (this == EHOSTUNREACH) return SocketError.HostUnreachable;
        if (this == EAFNOSUPPORT) return SocketError.AddressFamilyNotSupported;
        if (this == EMSGSIZE) return SocketError.MessageSize;
        if (this == ENOBUFS || this == ENOMEM) return SocketError.NoBufferSpaceAvailable;
        if (this == EMFILE || this == ENFILE) return SocketError.TooManyOpenSockets;
        if (this == ENOTSOCK || this == EBADF) return SocketError.NotSocket;
        if (this == EOPNOTSUPP) return SocketError.OperationNotSupported;
        if (this == EACCES || this == EPERM) return SocketError.AccessDenied;
        if (this == EFAULT) return SocketError.Fault;
        if (this == EINVAL) return SocketError.InvalidArgument;
        return SocketError.SocketError;
    }

    /// <summary>A <see cref="SocketException"/> for this errno.</summary>
    public SocketException ToSocketException() => new((int)ToSocketError());

    /// <summary>An <see cref="IOException"/> naming the failed operation and this error.</summary>
    public IOException ToIOException(string operation) =>
        new($"{operation} failed: {Message} (errno {Value})", Value);

    /// <summary>"errno N (message)".</summary>
    public override string ToString() => $"errno {Value} ({Message})";

    private static int Pick(int linux, int bsd) => NativePlatform.IsLinux ? linux : bsd;
}
