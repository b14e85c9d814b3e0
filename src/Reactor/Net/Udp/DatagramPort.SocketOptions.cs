using System.Net.Sockets;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Udp;

/// <summary>The socket's options and descriptor, for UDP and UNIX datagram ports alike.</summary>
internal abstract partial class DatagramPort : ISocketOptions
{
    /// <inheritdoc/>
    public int GetSocketOption(SocketOptionLevel level, SocketOptionName name) => SocketOptionCalls.Get(_host.Syscalls, FileDescriptor, this, level, name);

    /// <inheritdoc/>
    public void SetSocketOption(SocketOptionLevel level, SocketOptionName name, int value) => SocketOptionCalls.Set(_host.Syscalls, FileDescriptor, this, level, name, value);

    /// <inheritdoc/>
    public void SetSocketOption(SocketOptionLevel level, SocketOptionName name, bool value) => SocketOptionCalls.Set(_host.Syscalls, FileDescriptor, this, level, name, value ? 1 : 0);

    /// <inheritdoc/>
    public LingerOption GetLinger() => SocketOptionCalls.GetLinger(_host.Syscalls, FileDescriptor, this);

    /// <inheritdoc/>
    public void SetLinger(LingerOption linger) => SocketOptionCalls.SetLinger(_host.Syscalls, FileDescriptor, this, linger);

    /// <inheritdoc/>
    public int GetRawSocketOption(int level, int name, Span<byte> value) => SocketOptionCalls.GetRaw(_host.Syscalls, FileDescriptor, this, level, name, value);

    /// <inheritdoc/>
    public void SetRawSocketOption(int level, int name, ReadOnlySpan<byte> value) => SocketOptionCalls.SetRaw(_host.Syscalls, FileDescriptor, this, level, name, value);
}
