using System.Net;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Testing;

/// <summary>The listening port a <see cref="MemoryReactor"/> returns: bound nowhere, it only records being stopped.</summary>
public sealed class FakePort : IListeningPort
{
    private readonly EndPoint _host;
    private readonly IProtocolFactory _factory;
    private Deferred<object?>? _stopped;

    internal FakePort(EndPoint host, IProtocolFactory factory)
    {
        _host = host;
        _factory = factory;
    }

    /// <summary>True once <see cref="StopListening"/> was called.</summary>
    public bool Stopped => _stopped is not null;

    /// <summary>Runs the factory's <c>DoStop</c> once and returns a fired Deferred.</summary>
    public Deferred<object?> StopListening()
    {
        if (_stopped is null)
        {
            _factory.DoStop();
            _stopped = Deferred.Succeed<object?>(null);
            return _stopped;
        }
        return Deferred.Succeed<object?>(null);
    }

    /// <inheritdoc/>
    public EndPoint GetHost() => _host;
}
