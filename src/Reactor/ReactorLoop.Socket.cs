using System.Net.Sockets;
using System.Net;
using Reactor.Native;
using Reactor.Net.Adoption;
using Reactor.Net.Tcp;
using Reactor.Net.Udp;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor;

/// <summary>Adopting sockets made elsewhere (Twisted's <c>IReactorSocket</c>).</summary>
public sealed partial class ReactorLoop : IReactorSocket
{
    /// <inheritdoc/>
    public IListeningPort AdoptStreamPort(int fileDescriptor, AddressFamily addressFamily, IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ThrowIfDisposed();
        var fd = AdoptedSocket.Duplicate(LibcSyscalls.Instance, fileDescriptor, addressFamily, AdoptedSocket.Role.ListeningStream, nameof(fileDescriptor));
        try
        {
            if (addressFamily != AddressFamily.Unix) return TcpPort.Adopt(this, factory, fd);
            if (AdoptedSocket.LocalUnixEndPoint(LibcSyscalls.Instance, fd, new UnixEndPointCodec()) is not UnixDomainSocketEndPoint address)
            {
                throw new ArgumentException($"Descriptor {fileDescriptor} is a UNIX socket without a name.", nameof(fileDescriptor));
            }
            return UnixPort.Adopt(this, factory, fd, address);
        }
        catch
        {
            LibcSyscalls.Instance.Close(fd, out _);
            throw;
        }
    }

    /// <inheritdoc/>
    public IProtocol? AdoptStreamConnection(int fileDescriptor, AddressFamily addressFamily, IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ThrowIfDisposed();
        var fd = AdoptedSocket.Duplicate(LibcSyscalls.Instance, fileDescriptor, addressFamily, AdoptedSocket.Role.ConnectedStream, nameof(fileDescriptor));
        IProtocol? protocol;
        EndPoint peer;
        EndPoint? local = null;
        try
        {
            if (addressFamily == AddressFamily.Unix)
            {
                var codec = new UnixEndPointCodec();
                local = AdoptedSocket.LocalUnixEndPoint(LibcSyscalls.Instance, fd, codec);
                peer = AdoptedSocket.PeerUnixEndPoint(LibcSyscalls.Instance, fd, codec) ?? UnnamedUnixEndPoint.Instance;
            }
            else
            {
                peer = Net.Internal.SocketOptions.GetRemoteEndPoint(LibcSyscalls.Instance, fd)
                    ?? throw new ArgumentException($"Descriptor {fileDescriptor} is not connected.", nameof(fileDescriptor));
            }
            protocol = factory.BuildProtocol(peer);
        }
        catch
        {
            LibcSyscalls.Instance.Close(fd, out _);
            throw;
        }
        if (protocol is null)
        {
            // The factory refused the connection, as it may refuse an accepted one.
            LibcSyscalls.Instance.Close(fd, out _);
            return null;
        }
        if (local is not null) new UnixConnection(this, fd, local, peer).Start(protocol);
        else new TcpConnection(this, fd, (IPEndPoint)peer).Start(protocol);
        return protocol;
    }

    /// <inheritdoc/>
    public IDatagramPort AdoptDatagramPort(int fileDescriptor, AddressFamily addressFamily, DatagramProtocol protocol,
        int maxPacketSize = IDatagramPort.DefaultMaxPacketSize)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPacketSize, UdpPort.MaxIPv6Datagram);
        ThrowIfDisposed();
        var fd = AdoptedSocket.Duplicate(LibcSyscalls.Instance, fileDescriptor, addressFamily, AdoptedSocket.Role.Datagram, nameof(fileDescriptor));
        Socket socket;
        try
        {
            socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch
        {
            LibcSyscalls.Instance.Close(fd, out _);
            throw;
        }
        try
        {
            socket.Blocking = false;
            if (addressFamily != AddressFamily.Unix) return UdpPort.Adopt(this, socket, protocol, maxPacketSize);
            var codec = new UnixEndPointCodec();
            return UnixDatagramPort.Adopt(this, socket, protocol, maxPacketSize,
                AdoptedSocket.LocalUnixEndPoint(LibcSyscalls.Instance, fd, codec), AdoptedSocket.PeerUnixEndPoint(LibcSyscalls.Instance, fd, codec));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
