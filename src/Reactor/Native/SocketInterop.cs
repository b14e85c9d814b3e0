using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// The socket set-up calls that the Native layer's <c>ISyscalls</c> seam does not carry:
/// creating, binding, listening, connecting and naming a socket. Each runs once per socket,
/// never per read or write. Every call sets errno (read it with <c>Errno.FromLastPInvokeError</c>).
/// </summary>
internal static unsafe partial class SocketInterop
{
    // "libc" is mapped to the real C library by the resolver.
    private const string Libc = "libc";

    static SocketInterop() => LibcResolver.EnsureRegistered();

    [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Libc, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, byte* address, int length);

    [LibraryImport(Libc, EntryPoint = "listen", SetLastError = true)]
    internal static partial int Listen(int fd, int backlog);

    [LibraryImport(Libc, EntryPoint = "connect", SetLastError = true)]
    internal static partial int Connect(int fd, byte* address, int length);

    [LibraryImport(Libc, EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(int fd, byte* address, int* length);

    [LibraryImport(Libc, EntryPoint = "getpeername", SetLastError = true)]
    internal static partial int GetPeerName(int fd, byte* address, int* length);
}
