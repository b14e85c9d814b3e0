using System.Net.Sockets;

namespace Reactor.Protocols.Policies;

/// <summary>The wrapped transport's socket options, so a wrapped protocol reaches them as an unwrapped one does.</summary>
public partial class ProtocolWrapper : ISocketOptions
{
    /// <inheritdoc/>
    /// <remarks>-1 when the wrapped transport is not a socket.</remarks>
    public int FileDescriptor => (Transport as ISocketOptions)?.FileDescriptor ?? -1;

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

    private ISocketOptions Socket => Transport as ISocketOptions
        ?? throw new NotSupportedException($"The wrapped transport ({Transport.GetType().Name}) is not a socket.");
}
