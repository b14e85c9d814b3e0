using System.Buffers;
using System.Net;
using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Protocols.Policies;

/// <summary>
/// Stands between a transport and a protocol and forwards everything both ways (Twisted's
/// <c>ProtocolWrapper</c>): the wrapped protocol sees this wrapper as its transport. Subclasses
/// override what they want to observe or change (bytes read, bytes written, closes).
/// </summary>
/// <remarks>
/// The wrapper is an <see cref="ITcpTransport"/> whatever it wraps: half-close, abort and TCP
/// options are passed on when the real transport supports them and throw
/// <see cref="InvalidOperationException"/> otherwise. A FIN reaches the wrapped protocol's
/// <c>ReadConnectionLost</c> if it is an <see cref="IHalfCloseableProtocol"/>; otherwise the
/// wrapper closes the connection, as the transport would have.
/// </remarks>
public partial class ProtocolWrapper : Protocol, ITcpTransport, IHalfCloseableProtocol
{
    private bool _disconnecting;

    /// <summary>Wraps <paramref name="wrappedProtocol"/> on behalf of <paramref name="factory"/>.</summary>
    public ProtocolWrapper(WrappingFactory factory, IProtocol wrappedProtocol)
    {
        WrappingFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        WrappedProtocol = wrappedProtocol ?? throw new ArgumentNullException(nameof(wrappedProtocol));
        Factory = factory;
    }

    /// <summary>The protocol doing the real work.</summary>
    public IProtocol WrappedProtocol { get; }

    /// <summary>The factory that made this wrapper and tracks it.</summary>
    public WrappingFactory WrappingFactory { get; }

    /// <summary>Registers with the factory, then connects the wrapped protocol to this wrapper.</summary>
    public override void MakeConnection(ITransport transport)
    {
        base.MakeConnection(transport);
        WrappingFactory.RegisterProtocol(this);
        WrappedProtocol.MakeConnection(this);
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => WrappedProtocol.DataReceived(data);

    /// <summary>Unregisters from the factory, then tells the wrapped protocol.</summary>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        WrappingFactory.UnregisterProtocol(this);
        WrappedProtocol.ConnectionLost(reason);
    }

    /// <inheritdoc/>
    public virtual void ReadConnectionLost()
    {
        if (WrappedProtocol is IHalfCloseableProtocol halfCloseable) halfCloseable.ReadConnectionLost();
        else LoseConnection();
    }

    /// <inheritdoc/>
    public virtual void WriteConnectionLost() => (WrappedProtocol as IHalfCloseableProtocol)?.WriteConnectionLost();

    /// <inheritdoc/>
    public virtual void Write(ReadOnlySpan<byte> data) => Transport.Write(data);

    /// <inheritdoc/>
    public virtual void WriteSequence(ReadOnlySequence<byte> data) => Transport.WriteSequence(data);

    /// <inheritdoc/>
    public virtual void LoseConnection()
    {
        _disconnecting = true;
        Transport.LoseConnection();
    }

    /// <inheritdoc/>
    public bool Disconnecting => _disconnecting || (TransportOrNull?.Disconnecting ?? false);

    /// <inheritdoc/>
    public EndPoint GetPeer() => Transport.GetPeer();

    /// <inheritdoc/>
    public EndPoint GetHost() => Transport.GetHost();

    /// <inheritdoc/>
    public virtual void RegisterProducer(IProducer producer, bool streaming) => Transport.RegisterProducer(producer, streaming);

    /// <inheritdoc/>
    public virtual void UnregisterProducer() => Transport.UnregisterProducer();

    /// <inheritdoc/>
    public void PauseProducing() => Transport.PauseProducing();

    /// <inheritdoc/>
    public void ResumeProducing() => Transport.ResumeProducing();

    /// <inheritdoc/>
    public void StopProducing() => Transport.StopProducing();

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The real transport cannot half-close.</exception>
    public void LoseWriteConnection() => Stream.LoseWriteConnection();

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The real transport cannot abort.</exception>
    public virtual void AbortConnection()
    {
        _disconnecting = true;
        Stream.AbortConnection();
    }

    /// <inheritdoc/>
    public bool GetTcpNoDelay() => Tcp.GetTcpNoDelay();

    /// <inheritdoc/>
    public void SetTcpNoDelay(bool enabled) => Tcp.SetTcpNoDelay(enabled);

    /// <inheritdoc/>
    public bool GetTcpKeepAlive() => Tcp.GetTcpKeepAlive();

    /// <inheritdoc/>
    public void SetTcpKeepAlive(bool enabled) => Tcp.SetTcpKeepAlive(enabled);

    private IStreamTransport Stream => Transport as IStreamTransport
        ?? throw new InvalidOperationException($"The wrapped transport ({Transport.GetType().Name}) cannot half-close or abort.");

    private ITcpTransport Tcp => Transport as ITcpTransport
        ?? throw new InvalidOperationException($"The wrapped transport ({Transport.GetType().Name}) is not a TCP transport.");
}
