using System.Buffers;
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
    public virtual void ReadConnectionLost() => Peer?.LoseWriteConnection();

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

/// <summary>
/// The client's side: connects to the target when the client arrives. While that connection is
/// being made the client is still read (so its leaving is noticed and the attempt stopped); what it
/// sends meanwhile is held; once <see cref="EarlyBytesLimit"/> is reached reading pauses (so at most
/// that plus one read is held).
/// </summary>
public sealed class InboundEnd(ReactorLoop reactor, string targetHost, int targetPort) : ForwardingEnd
{
    /// <summary>The most a client may send before the target answers; past it, reading pauses.</summary>
    public const int EarlyBytesLimit = 64 * 1024;

    private IConnector? _connecting;
    private ArrayBufferWriter<byte>? _early;
    private bool _finishedEarly;

    /// <inheritdoc/>
    public override void ConnectionMade() => _connecting = reactor.ConnectTcp(targetHost, targetPort, new TargetFactory(this));

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (Peer is not null)
        {
            base.DataReceived(data);
            return;
        }
        _early ??= new ArrayBufferWriter<byte>();
        _early.Write(data);
        if (_early.WrittenCount >= EarlyBytesLimit) Transport.PauseProducing();
    }

    /// <summary>The client sent FIN: pass it on now, or once the target is there.</summary>
    public override void ReadConnectionLost()
    {
        if (Peer is null) _finishedEarly = true;
        else base.ReadConnectionLost();
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        if (_connecting is { } connecting)
        {
            // The client left before the target answered: no one is left to forward for.
            _connecting = null;
            Console.Error.WriteLine($"PortForward: the client left before {targetHost}:{targetPort} answered; stopped connecting");
            connecting.StopConnecting();
        }
        base.ConnectionLost(reason);
    }

    /// <summary>The target accepted: join the two sides, pass on what the client sent meanwhile, and read on.</summary>
    internal void TargetConnected(OutboundEnd outbound)
    {
        _connecting = null;
        var inbound = (IStreamTransport)Transport;
        var target = (IStreamTransport)outbound.Transport;
        Join(target);
        outbound.Join(inbound);
        if (_early is { WrittenCount: > 0 } early) target.Write(early.WrittenSpan);
        _early = null;
        if (_finishedEarly) target.LoseWriteConnection();
        else inbound.ResumeProducing();
    }

    /// <summary>The target is unreachable: close the client.</summary>
    internal void TargetFailed(Failure reason)
    {
        if (_connecting is null) return; // stopped because the client left: nothing to report
        _connecting = null;
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
