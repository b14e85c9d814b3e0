using System.Net;
using Reactor.Defer;
using Reactor.Protocols;
using Reactor.Protocols.Datagram;

namespace Reactor.Net.Udp;

/// <summary>
/// A datagram socket driven by the reactor (Twisted's <c>udp.Port</c>): both the listening port and
/// the protocol's transport. <see cref="IUdpPort"/> and <c>IUnixDatagramPort</c> (UNIX datagrams) are its
/// two families; <see cref="IReactorSocket.AdoptDatagramPort"/> returns one of them.
/// </summary>
/// <remarks>
/// Reads drain up to <see cref="MaxDatagramsPerRead"/> datagrams per readiness report. Writes go to
/// the kernel at once (datagrams are never buffered or merged); a full send buffer drops the
/// datagram and <c>Write</c> says so by returning false. Reactor thread only.
/// </remarks>
public interface IDatagramPort : IListeningPort, IDatagramTransport, ISocketOptions
{
    /// <summary>The default largest datagram delivered, as Twisted's <c>maxPacketSize</c>.</summary>
    const int DefaultMaxPacketSize = 8192;

    /// <summary>At most this many datagrams are read per readiness report, so one busy socket cannot starve the others.</summary>
    const int MaxDatagramsPerRead = 32;

    /// <summary>The protocol attached to this port.</summary>
    DatagramProtocol Protocol { get; }

    /// <summary>The socket's file descriptor, or -1 once closed.</summary>
    new int FileDescriptor { get; }

    /// <summary>True until <see cref="StopListening"/> closes the socket.</summary>
    bool Listening { get; }

    /// <summary>Datagrams dropped because the send buffer was full (Write returned false).</summary>
    long DroppedWrites { get; }

    /// <summary>Datagrams received longer than <see cref="IDatagramTransport.MaxPacketSize"/>, dropped and logged.</summary>
    long DroppedOversized { get; }

    /// <summary>The address the socket is bound to.</summary>
    new EndPoint GetHost();

    /// <summary>Closes the socket; the protocol's <c>StopProtocol</c> runs. The Deferred fires once closed.</summary>
    new Deferred<object?> StopListening();
}
