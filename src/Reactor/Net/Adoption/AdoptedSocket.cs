using System.Net;
using System.Net.Sockets;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Unix;

namespace Reactor.Net.Adoption;

/// <summary>
/// Checks a socket made elsewhere and duplicates it for the reactor (the reactor owns the
/// duplicate; the caller keeps the original). Nothing here runs per read or write.
/// </summary>
internal static unsafe class AdoptedSocket
{
    // Numbers that differ per OS and that nothing else in the engine needs.
    private static readonly int SO_TYPE = NativePlatform.IsLinux ? 3 : 0x1008;
    private static readonly int SO_ACCEPTCONN = NativePlatform.IsLinux ? 30 : 0x2;
    private static readonly int F_DUPFD_CLOEXEC = NativePlatform.IsLinux ? 1030 : NativePlatform.IsMacOS ? 67 : 17;

    // Large enough for sockaddr_un (110 bytes on Linux) and sockaddr_in6.
    private const int AddressCapacity = 128;

    /// <summary>What the adopting method expects of the socket's listening state.</summary>
    public enum Role
    {
        /// <summary>A bound, listening stream socket.</summary>
        ListeningStream,

        /// <summary>A connected stream socket.</summary>
        ConnectedStream,

        /// <summary>A datagram socket (bound or connected).</summary>
        Datagram,
    }

    /// <summary>
    /// Checks that <paramref name="fd"/> is a socket of <paramref name="family"/> fit for
    /// <paramref name="role"/>, then returns a non-blocking, close-on-exec duplicate.
    /// </summary>
    /// <exception cref="ArgumentException">The descriptor is not open, not a socket, or not the kind expected.</exception>
    /// <exception cref="NotSupportedException">The family is not IPv4, IPv6 or UNIX.</exception>
    /// <exception cref="SocketException">Duplicating failed (EMFILE).</exception>
    public static int Duplicate(ISyscalls syscalls, int fd, AddressFamily family, Role role, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd, parameter);
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 or AddressFamily.Unix))
        {
            throw new NotSupportedException($"Adopting a socket of family {family} is not supported (InterNetwork, InterNetworkV6 or Unix).");
        }
        Check(syscalls, fd, family, role, parameter);

        var copy = syscalls.Fcntl(fd, F_DUPFD_CLOEXEC, 0, out var errno);
        if (copy < 0) throw errno.ToSocketException();
        if (syscalls.SetNonBlocking(copy, true, out errno) < 0)
        {
            syscalls.Close(copy, out _);
            throw errno.ToSocketException();
        }
        if (NativeConstants.SO_NOSIGPIPE != 0)
        {
            SocketOptions.SetInt(syscalls, copy, NativeConstants.SOL_SOCKET, NativeConstants.SO_NOSIGPIPE, 1);
        }
        return copy;
    }

    /// <summary>The socket's own address, as a UNIX end point (or <see cref="UnnamedUnixEndPoint"/>).</summary>
    public static EndPoint LocalUnixEndPoint(ISyscalls syscalls, int fd, UnixEndPointCodec codec)
    {
        var address = stackalloc byte[AddressCapacity];
        int length = AddressCapacity;
        if (syscalls.GetSockName(fd, address, &length, out var errno) != 0) throw errno.ToSocketException();
        return UnixSocketFiles.Describe(codec, address, Math.Min(length, AddressCapacity));
    }

    /// <summary>The peer's UNIX address (<see cref="UnnamedUnixEndPoint"/> for an unnamed peer), or null if not connected.</summary>
    public static EndPoint? PeerUnixEndPoint(ISyscalls syscalls, int fd, UnixEndPointCodec codec)
    {
        var address = stackalloc byte[AddressCapacity];
        int length = AddressCapacity;
        if (syscalls.GetPeerName(fd, address, &length, out _) != 0) return null;
        return UnixSocketFiles.Describe(codec, address, Math.Min(length, AddressCapacity));
    }

    private static void Check(ISyscalls syscalls, int fd, AddressFamily family, Role role, string parameter)
    {
        int type = 0, length = sizeof(int);
        if (syscalls.GetSockOpt(fd, NativeConstants.SOL_SOCKET, SO_TYPE, &type, &length, out var errno) < 0)
        {
            var what = errno == Errno.ENOTSOCK ? "is not a socket" : errno == Errno.EBADF ? "is not an open descriptor" : $"could not be inspected ({errno})";
            throw new ArgumentException($"Descriptor {fd} {what}.", parameter, errno.ToSocketException());
        }
        var wantType = role == Role.Datagram ? NativeConstants.SOCK_DGRAM : NativeConstants.SOCK_STREAM;
        if (type != wantType)
        {
            throw new ArgumentException(
                $"Descriptor {fd} is a {TypeName(type)} socket; a {TypeName(wantType)} socket was expected.", parameter);
        }

        var actual = FamilyOf(syscalls, fd);
        if (actual != family)
        {
            throw new ArgumentException($"Descriptor {fd} is a socket of family {actual}, not {family}.", parameter);
        }

        if (role == Role.Datagram) return;
        int accepting = 0;
        length = sizeof(int);
        if (syscalls.GetSockOpt(fd, NativeConstants.SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length, out errno) < 0)
        {
            throw new ArgumentException($"Descriptor {fd} could not be inspected ({errno}).", parameter, errno.ToSocketException());
        }
        if (role == Role.ListeningStream && accepting == 0)
        {
            throw new ArgumentException($"Descriptor {fd} is a stream socket that is not listening (call listen() first).", parameter);
        }
        if (role == Role.ConnectedStream)
        {
            if (accepting != 0) throw new ArgumentException($"Descriptor {fd} is a listening socket; adopt it with AdoptStreamPort.", parameter);
            var peer = stackalloc byte[AddressCapacity];
            int peerLength = AddressCapacity;
            if (syscalls.GetPeerName(fd, peer, &peerLength, out _) != 0)
            {
                throw new ArgumentException($"Descriptor {fd} is a stream socket that is not connected.", parameter);
            }
        }
    }

    /// <summary>The family named by the socket's own address (getsockname works on any socket, bound or not).</summary>
    private static AddressFamily FamilyOf(ISyscalls syscalls, int fd)
    {
        var address = stackalloc byte[AddressCapacity];
        int length = AddressCapacity;
        if (syscalls.GetSockName(fd, address, &length, out var errno) != 0) throw errno.ToSocketException();
        int family = NativePlatform.IsLinux ? *(ushort*)address : address[1];
        if (family == NativeConstants.AF_INET) return AddressFamily.InterNetwork;
        if (family == NativeConstants.AF_INET6) return AddressFamily.InterNetworkV6;
        if (family == NativeConstants.AF_UNIX) return AddressFamily.Unix;
        return AddressFamily.Unknown;
    }

    private static string TypeName(int type) =>
        type == NativeConstants.SOCK_STREAM ? "stream" : type == NativeConstants.SOCK_DGRAM ? "datagram" : $"type-{type}";
}
