using System.Net.Sockets;
using System.Net;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;

namespace Reactor.Net.Unix;

/// <summary>Creating, binding and connecting raw UNIX stream sockets, and telling a socket file apart from other files.</summary>
internal static unsafe class UnixSocketFiles
{
    /// <summary>True when <paramref name="path"/> is a socket file (open(2) refuses sockets: ENXIO on Linux, EOPNOTSUPP on the BSDs).</summary>
    public static bool IsSocketFile(ISyscalls syscalls, string path)
    {
        var fd = syscalls.Open(path, DatagramConstants.O_RDONLY | DatagramConstants.O_NOFOLLOW | DatagramConstants.O_CLOEXEC | NativeConstants.O_NONBLOCK, 0, out var errno);
        if (fd >= 0)
        {
            syscalls.Close(fd, out _);
            return false;
        }
        return errno == DatagramConstants.ENXIO || errno == Errno.EOPNOTSUPP;
    }

    /// <summary>Binds <paramref name="fd"/> to <paramref name="endPoint"/>.</summary>
    public static Errno Bind(ISyscalls syscalls, int fd, UnixDomainSocketEndPoint endPoint)
    {
        var address = endPoint.Serialize();
        fixed (byte* p = address.Buffer.Span)
        {
            syscalls.Bind(fd, p, address.Size, out var errno);
            return errno;
        }
    }

    /// <summary>Connects <paramref name="fd"/> to <paramref name="endPoint"/>; EINTR counts as "in progress".</summary>
    public static Errno Connect(ISyscalls syscalls, int fd, UnixDomainSocketEndPoint endPoint)
    {
        var address = endPoint.Serialize();
        Errno errno;
        fixed (byte* p = address.Buffer.Span)
        {
            if (syscalls.Connect(fd, p, address.Size, out errno) == 0) return Errno.Success;
        }
        return errno == Errno.EINTR ? Errno.EINPROGRESS : errno;
    }

    /// <summary>The typed reason a UNIX connect failed with <paramref name="errno"/>.</summary>
    public static ConnectError ConnectFailure(Errno errno, string path)
    {
        var os = errno.ToSocketException();
        return os.SocketErrorCode == SocketError.ConnectionRefused
            ? new ConnectionRefusedError($"Nothing is accepting on {UnixPaths.Printable(path)}.", os)
            : new ConnectError($"Could not connect to {UnixPaths.Printable(path)}: {errno.Message}", os);
    }

    /// <summary>The endpoint a socket address names, or <see cref="UnnamedUnixEndPoint"/>.</summary>
    public static EndPoint Describe(UnixEndPointCodec codec, byte* address, int length) =>
        codec.Decode(new ReadOnlySpan<byte>(address, Math.Max(0, length)));
}
