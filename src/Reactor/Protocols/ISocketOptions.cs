using System.Net.Sockets;

namespace Reactor.Protocols;

/// <summary>
/// The socket under a transport or port, for code ported from Python's <c>socket</c> module:
/// <c>setsockopt</c>/<c>getsockopt</c> at the socket, TCP and IP levels (buffer sizes and linger
/// included) and the descriptor itself (<c>fileno()</c>). TCP, UNIX and TLS stream transports,
/// TCP and UNIX listening ports and UDP / UNIX datagram ports implement it; a protocol reaches it
/// with <c>if (Transport is ISocketOptions socket) ...</c>.
/// </summary>
/// <remarks>
/// <para>
/// The typed calls take .NET's <see cref="SocketOptionLevel"/> and <see cref="SocketOptionName"/>
/// (as <see cref="Socket.SetSocketOption(SocketOptionLevel, SocketOptionName, int)"/> does) and map
/// them to this OS's values; the raw calls take the OS's own numbers, exactly as Python's
/// <c>setsockopt(level, name, value)</c> does. A TLS transport reaches the socket under the TLS
/// layer. Every call throws <see cref="ObjectDisposedException"/> once the socket is closed, and
/// <see cref="SocketException"/> with the OS's error when the kernel refuses the option.
/// </para>
/// <para>
/// The reactor owns the descriptor: never close it, read from it or write to it, and do not change
/// its blocking mode. Options that change how the reactor sees the socket (SO_RCVLOWAT, O_NONBLOCK)
/// are the caller's responsibility.
/// </para>
/// </remarks>
public interface ISocketOptions
{
    /// <summary>The socket's OS descriptor (Python's <c>fileno()</c>), or -1 once closed.</summary>
    int FileDescriptor { get; }

    /// <summary>Reads an integer or boolean (0/1) option, as <c>getsockopt(level, name)</c>.</summary>
    /// <exception cref="ArgumentException">The option has no equivalent on this OS, or is not an integer (use <see cref="GetLinger"/> for linger).</exception>
    int GetSocketOption(SocketOptionLevel level, SocketOptionName name);

    /// <summary>Sets an integer option (a buffer size, a TTL, a keep-alive interval in seconds...).</summary>
    /// <exception cref="ArgumentException">The option has no equivalent on this OS, or is not an integer (use <see cref="SetLinger"/> for linger).</exception>
    void SetSocketOption(SocketOptionLevel level, SocketOptionName name, int value);

    /// <summary>Sets a boolean option (SO_KEEPALIVE, TCP_NODELAY, SO_BROADCAST...).</summary>
    /// <exception cref="ArgumentException">The option has no equivalent on this OS.</exception>
    void SetSocketOption(SocketOptionLevel level, SocketOptionName name, bool value);

    /// <summary>SO_LINGER: whether a close waits for unsent data, and for how many seconds.</summary>
    LingerOption GetLinger();

    /// <summary>
    /// Sets SO_LINGER. Enabled with 0 seconds makes the close send RST and drop unsent data, which is
    /// what <see cref="IStreamTransport.AbortConnection"/> does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative linger time.</exception>
    void SetLinger(LingerOption linger);

    /// <summary>
    /// <c>getsockopt</c> with the OS's own level and name numbers; fills <paramref name="value"/> and
    /// returns how many bytes the kernel wrote.
    /// </summary>
    int GetRawSocketOption(int level, int name, Span<byte> value);

    /// <summary><c>setsockopt</c> with the OS's own level and name numbers and value bytes.</summary>
    void SetRawSocketOption(int level, int name, ReadOnlySpan<byte> value);
}
