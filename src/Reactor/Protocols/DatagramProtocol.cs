using System.Net;
using Reactor.Protocols.Datagram;

namespace Reactor.Protocols;

/// <summary>
/// The base class for datagram protocols (Twisted's <c>DatagramProtocol</c>): override
/// <see cref="DatagramReceived"/>, and optionally <see cref="StartProtocol"/>,
/// <see cref="StopProtocol"/> and <see cref="ConnectionRefused"/>.
/// </summary>
/// <remarks>
/// Threading: every method is called on the reactor thread. One protocol instance may be
/// attached to several ports in turn; <see cref="StartProtocol"/> runs when the first attaches
/// and <see cref="StopProtocol"/> when the last detaches.
/// </remarks>
public abstract class DatagramProtocol
{
    private IDatagramTransport? _transport;

    /// <summary>The port this protocol reads from and writes to; available from <see cref="StartProtocol"/> on.</summary>
    /// <exception cref="InvalidOperationException">The protocol is not attached to a port.</exception>
    public IDatagramTransport Transport =>
        _transport ?? throw new InvalidOperationException("The datagram protocol is not attached to a port: listen with it first.");

    /// <summary>The transport, or null while not attached.</summary>
    protected IDatagramTransport? TransportOrNull => _transport;

    /// <summary>How many ports currently use this protocol.</summary>
    public int NumPorts { get; private set; }

    /// <summary>
    /// Attaches <paramref name="transport"/> and counts the port in (Twisted's <c>makeConnection</c>).
    /// Called by the port once its socket is bound.
    /// </summary>
    /// <exception cref="InvalidOperationException">The protocol is already attached to a live port.</exception>
    public void MakeConnection(IDatagramTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (_transport is not null)
        {
            throw new InvalidOperationException("This datagram protocol is already attached to a port; stop that port first or use a new protocol instance.");
        }
        _transport = transport;
        DoStart();
    }

    /// <summary>Counts a port in; the first one calls <see cref="StartProtocol"/>.</summary>
    public void DoStart()
    {
        if (NumPorts++ == 0) StartProtocol();
    }

    /// <summary>Counts a port out; the last one detaches the transport and calls <see cref="StopProtocol"/>.</summary>
    public void DoStop()
    {
        if (NumPorts == 0) return;
        _transport = null;
        if (--NumPorts == 0) StopProtocol();
    }

    /// <summary>Called when the protocol starts listening (the transport is set).</summary>
    public virtual void StartProtocol() { }

    /// <summary>Called when the protocol stops listening (the transport is gone).</summary>
    public virtual void StopProtocol() { }

    /// <summary>
    /// A datagram arrived from <paramref name="from"/>. The span is only valid during the call (it
    /// is the port's read buffer): a protocol that keeps bytes copies them. The same sender is
    /// normally given the same <see cref="EndPoint"/> instance each time, so it can key a dictionary.
    /// </summary>
    public virtual void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from) { }

    /// <summary>
    /// A connected port learned that its peer is not listening (ICMP port unreachable, reported by
    /// the kernel as ECONNREFUSED on the next read or write). Only connected ports report this.
    /// </summary>
    public virtual void ConnectionRefused() { }
}
