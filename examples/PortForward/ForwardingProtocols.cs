using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Examples.PortForward;

/// <summary>
/// One end of a forwarded connection: bytes it receives go out of the other end. Each side's
/// transport is registered as the push producer of the other, so a side that cannot send fast
/// enough pauses reading on the other (bounded memory both ways). A FIN on one side becomes a
/// half-close on the other; a full close of one side closes the other.
/// </summary>
public abstract class ForwardingEnd : Protocol, IHalfCloseableProtocol
{
    /// <summary>The other side's transport, once both sides are connected.</summary>
    protected IStreamTransport? Peer { get; private set; }

    /// <summary>Joins this side to <paramref name="peer"/>: each becomes the other's producer.</summary>
    public void Join(IStreamTransport peer)
    {
        Peer = peer;
        Transport.RegisterProducer(peer, streaming: true);
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => Peer?.Write(data);

    /// <summary>This side sent FIN: pass it on to the other side once its pending bytes are out.</summary>
    public void ReadConnectionLost() => Peer?.LoseWriteConnection();

    /// <inheritdoc/>
    public void WriteConnectionLost() { }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        // A reset is passed on as a reset, a clean close as a clean close.
        if (reason.Value is ConnectionDone) Peer?.LoseConnection();
        else Peer?.AbortConnection();
    }
}

/// <summary>The client's side: connects to the target when the client arrives.</summary>
public sealed class InboundEnd(ReactorLoop reactor, string targetHost, int targetPort) : ForwardingEnd
{
    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        // Nothing is read from the client until the target is there to take it.
        Transport.PauseProducing();
        reactor.ConnectTcp(targetHost, targetPort, new TargetFactory(this));
    }

    /// <summary>The target accepted: join the two sides and start reading from the client.</summary>
    internal void TargetConnected(OutboundEnd outbound)
    {
        var inbound = (IStreamTransport)Transport;
        var target = (IStreamTransport)outbound.Transport;
        Join(target);
        outbound.Join(inbound);
        inbound.ResumeProducing();
    }

    /// <summary>The target is unreachable: close the client.</summary>
    internal void TargetFailed(Failure reason)
    {
        Console.Error.WriteLine($"PortForward: cannot reach {targetHost}:{targetPort}: {reason.GetErrorMessage()}");
        Transport.LoseConnection();
    }

    private sealed class TargetFactory(InboundEnd inbound) : ClientFactory
    {
        public override IProtocol? BuildProtocol(System.Net.EndPoint address) => new OutboundEnd(inbound);

        public override void ClientConnectionFailed(IConnector connector, Failure reason) => inbound.TargetFailed(reason);
    }
}

/// <summary>The target's side.</summary>
public sealed class OutboundEnd(InboundEnd inbound) : ForwardingEnd
{
    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        if (inbound.Connected) inbound.TargetConnected(this);
        else Transport.LoseConnection(); // the client left while we were connecting
    }
}
