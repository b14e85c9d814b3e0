using System.Net.Sockets;
using Reactor.Protocols;

namespace Reactor.Net.Tls.Internal;

/// <summary>The socket under the TLS layer: options and descriptor go to the transport underneath.</summary>
internal sealed partial class TlsLayer : ISocketOptions
{
    /// <inheritdoc/>
    public int FileDescriptor => (_underlying as ISocketOptions)?.FileDescriptor ?? -1;

    /// <inheritdoc/>
    public int GetSocketOption(SocketOptionLevel level, SocketOptionName name) => Socket.GetSocketOption(level, name);

    /// <inheritdoc/>
    public void SetSocketOption(SocketOptionLevel level, SocketOptionName name, int value) => Socket.SetSocketOption(level, name, value);

    /// <inheritdoc/>
    public void SetSocketOption(SocketOptionLevel level, SocketOptionName name, bool value) => Socket.SetSocketOption(level, name, value);

    /// <inheritdoc/>
    public LingerOption GetLinger() => Socket.GetLinger();

    /// <inheritdoc/>
    public void SetLinger(LingerOption linger) => Socket.SetLinger(linger);

    /// <inheritdoc/>
    public int GetRawSocketOption(int level, int name, Span<byte> value) => Socket.GetRawSocketOption(level, name, value);

    /// <inheritdoc/>
    public void SetRawSocketOption(int level, int name, ReadOnlySpan<byte> value) => Socket.SetRawSocketOption(level, name, value);

    private ISocketOptions Socket => Underlying as ISocketOptions
        ?? throw new NotSupportedException($"The transport under this TLS connection ({Underlying.GetType().Name}) is not a socket.");
}
