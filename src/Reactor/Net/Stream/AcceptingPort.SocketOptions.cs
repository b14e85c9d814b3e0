using System.Net.Sockets;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Stream;

/// <summary>The listening socket's options and descriptor (SO_RCVBUF set here is inherited by accepted connections).</summary>
internal abstract partial class AcceptingPort : ISocketOptions
{
    /// <inheritdoc/>
    public int GetSocketOption(SocketOptionLevel level, SocketOptionName name) => SocketOptionCalls.Get(Syscalls, FileDescriptor, this, level, name);

    /// <inheritdoc/>
    public void SetSocketOption(SocketOptionLevel level, SocketOptionName name, int value) => SocketOptionCalls.Set(Syscalls, FileDescriptor, this, level, name, value);

    /// <inheritdoc/>
    public void SetSocketOption(SocketOptionLevel level, SocketOptionName name, bool value) => SocketOptionCalls.Set(Syscalls, FileDescriptor, this, level, name, value ? 1 : 0);

    /// <inheritdoc/>
    public LingerOption GetLinger() => SocketOptionCalls.GetLinger(Syscalls, FileDescriptor, this);

    /// <inheritdoc/>
    public void SetLinger(LingerOption linger) => SocketOptionCalls.SetLinger(Syscalls, FileDescriptor, this, linger);

    /// <inheritdoc/>
    public int GetRawSocketOption(int level, int name, Span<byte> value) => SocketOptionCalls.GetRaw(Syscalls, FileDescriptor, this, level, name, value);

    /// <inheritdoc/>
    public void SetRawSocketOption(int level, int name, ReadOnlySpan<byte> value) => SocketOptionCalls.SetRaw(Syscalls, FileDescriptor, this, level, name, value);
}
