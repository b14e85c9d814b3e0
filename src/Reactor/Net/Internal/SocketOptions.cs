using System.Net;
using System.Net.Sockets;
using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>
/// Set-up and inspection of one socket descriptor: creation, binding, naming, options, close.
/// None of it runs per read or write.
/// </summary>
internal static unsafe class SocketOptions
{
    /// <summary>Creates a non-blocking, close-on-exec stream socket for <paramref name="family"/>.</summary>
    /// <exception cref="SocketException">The socket could not be created (EMFILE, ...).</exception>
    public static int CreateStreamSocket(ISyscalls syscalls, AddressFamily family)
    {
        var domain = family switch
        {
            AddressFamily.InterNetworkV6 => NativeConstants.AF_INET6,
            AddressFamily.InterNetwork => NativeConstants.AF_INET,
            _ => throw new ArgumentException($"Address family {family} is not supported for TCP.", nameof(family)),
        };
        return CreateSocket(syscalls, domain);
    }

    /// <summary>Creates a non-blocking, close-on-exec stream socket in <paramref name="domain"/> (AF_*).</summary>
    /// <exception cref="SocketException">The socket could not be created (EMFILE, ...).</exception>
    public static int CreateSocket(ISyscalls syscalls, int domain)
    {
        var fd = syscalls.Socket(domain, NativeConstants.SOCK_STREAM | NativeConstants.SOCK_NONBLOCK | NativeConstants.SOCK_CLOEXEC, 0, out var created);
        if (fd < 0) throw created.ToSocketException();
        if (!NativeConstants.HasAtomicNonBlockingFlags)
        {
            var errno = PrepareDescriptor(syscalls, fd);
            if (!errno.IsSuccess)
            {
                syscalls.Close(fd, out _);
                throw errno.ToSocketException();
            }
        }
        return fd;
    }

    /// <summary>
    /// Where the OS cannot create sockets non-blocking and close-on-exec atomically (macOS), sets
    /// both with fcntl and asks for EPIPE instead of SIGPIPE.
    /// </summary>
    private static Errno PrepareDescriptor(ISyscalls syscalls, int fd)
    {
        if (syscalls.SetNonBlocking(fd, true, out var errno) < 0) return errno;
        if (syscalls.Fcntl(fd, NativeConstants.F_SETFD, NativeConstants.FD_CLOEXEC, out errno) < 0) return errno;
        if (NativeConstants.SO_NOSIGPIPE != 0) SetInt(syscalls, fd, NativeConstants.SOL_SOCKET, NativeConstants.SO_NOSIGPIPE, 1);
        return Errno.Success;
    }

    /// <summary>Binds <paramref name="fd"/> to <paramref name="endPoint"/>.</summary>
    public static Errno Bind(ISyscalls syscalls, int fd, IPEndPoint endPoint)
    {
        var address = stackalloc byte[SocketAddressCodec.MaxLength];
        var length = SocketAddressCodec.Write(endPoint, new Span<byte>(address, SocketAddressCodec.MaxLength));
        syscalls.Bind(fd, address, length, out var errno);
        return errno;
    }

    /// <summary>Starts a non-blocking connect: EINPROGRESS while under way, success if already connected.</summary>
    public static Errno Connect(ISyscalls syscalls, int fd, IPEndPoint endPoint)
    {
        var address = stackalloc byte[SocketAddressCodec.MaxLength];
        var length = SocketAddressCodec.Write(endPoint, new Span<byte>(address, SocketAddressCodec.MaxLength));
        if (syscalls.Connect(fd, address, length, out var errno) == 0) return Errno.Success;
        // An interrupted connect carries on in the background, exactly as EINPROGRESS.
        return errno == Errno.EINTR ? Errno.EINPROGRESS : errno;
    }

    /// <summary>The local address of <paramref name="fd"/>.</summary>
    /// <exception cref="SocketException">getsockname failed.</exception>
    public static IPEndPoint GetLocalEndPoint(ISyscalls syscalls, int fd)
    {
        var address = stackalloc byte[SocketAddressCodec.MaxLength];
        int length = SocketAddressCodec.MaxLength;
        if (syscalls.GetSockName(fd, address, &length, out var errno) != 0) throw errno.ToSocketException();
        return SocketAddressCodec.Read(new ReadOnlySpan<byte>(address, SocketAddressCodec.MaxLength));
    }

    /// <summary>The peer address of <paramref name="fd"/>, or null if it is not connected.</summary>
    public static IPEndPoint? GetRemoteEndPoint(ISyscalls syscalls, int fd)
    {
        var address = stackalloc byte[SocketAddressCodec.MaxLength];
        int length = SocketAddressCodec.MaxLength;
        if (syscalls.GetPeerName(fd, address, &length, out _) != 0) return null;
        return SocketAddressCodec.Read(new ReadOnlySpan<byte>(address, SocketAddressCodec.MaxLength));
    }

    /// <summary>Sets an integer option.</summary>
    public static Errno SetInt(ISyscalls syscalls, int fd, int level, int name, int value)
    {
        syscalls.SetSockOpt(fd, level, name, &value, sizeof(int), out var errno);
        return errno;
    }

    /// <summary>Reads an integer option.</summary>
    /// <exception cref="SocketException">getsockopt failed.</exception>
    public static int GetInt(ISyscalls syscalls, int fd, int level, int name)
    {
        int value = 0, length = sizeof(int);
        if (syscalls.GetSockOpt(fd, level, name, &value, &length, out var errno) < 0) throw errno.ToSocketException();
        return value;
    }

    /// <summary>Arms SO_LINGER {on, 0 s} so that the next close sends RST and discards unsent data.</summary>
    public static void SetResetOnClose(ISyscalls syscalls, int fd)
    {
        // struct linger { int l_onoff; int l_linger; }
        var linger = stackalloc int[2] { 1, 0 };
        syscalls.SetSockOpt(fd, NativeConstants.SOL_SOCKET, NativeConstants.SO_LINGER, linger, 2 * sizeof(int), out _);
    }
}
