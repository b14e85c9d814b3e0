using System.Buffers;

namespace Reactor.Protocols.Policies;

/// <summary>
/// The wrapper a <see cref="ThrottlingFactory"/> puts around each protocol (Twisted's
/// <c>ThrottlingProtocol</c>): counts the bytes read and written, and pauses reading or the
/// registered producer when the factory says so.
/// </summary>
public class ThrottlingProtocol : ProtocolWrapper
{
    private readonly ThrottlingFactory _factory;
    private IPushProducer? _producer;
    private bool _readsThrottled;

    /// <summary>Wraps <paramref name="wrappedProtocol"/> for <paramref name="factory"/>.</summary>
    public ThrottlingProtocol(ThrottlingFactory factory, IProtocol wrappedProtocol) : base(factory, wrappedProtocol) =>
        _factory = factory;

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _factory.RegisterRead(data.Length);
        base.DataReceived(data);
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> data)
    {
        _factory.RegisterWritten(data.Length);
        base.Write(data);
    }

    /// <inheritdoc/>
    public override void WriteSequence(ReadOnlySequence<byte> data)
    {
        _factory.RegisterWritten(data.Length);
        base.WriteSequence(data);
    }

    /// <inheritdoc/>
    public override void RegisterProducer(IProducer producer, bool streaming)
    {
        base.RegisterProducer(producer, streaming);
        _producer = producer as IPushProducer;
    }

    /// <inheritdoc/>
    public override void UnregisterProducer()
    {
        _producer = null;
        base.UnregisterProducer();
    }

    /// <summary>Pauses reading from the transport.</summary>
    public void ThrottleReads()
    {
        if (_readsThrottled || Disconnecting) return;
        _readsThrottled = true;
        Transport.PauseProducing();
    }

    /// <summary>Resumes reading from the transport.</summary>
    public void UnthrottleReads()
    {
        if (!_readsThrottled) return;
        _readsThrottled = false;
        if (!Disconnecting) Transport.ResumeProducing();
    }

    /// <summary>Pauses the registered push producer, if any.</summary>
    public void ThrottleWrites() => _producer?.PauseProducing();

    /// <summary>Resumes the registered push producer, if any.</summary>
    public void UnthrottleWrites() => _producer?.ResumeProducing();
}
