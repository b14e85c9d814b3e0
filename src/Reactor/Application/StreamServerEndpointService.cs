using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Protocols;

namespace Reactor.Application;

/// <summary>
/// A service that listens on a stream server endpoint while it runs (Twisted's
/// <c>StreamServerEndpointService</c>): started, it calls <c>Listen</c> with its factory;
/// stopped, it stops listening (or cancels a listen still under way).
/// </summary>
/// <example>
/// <code>
/// var app = new MultiService();
/// new StreamServerEndpointService(EndpointStrings.ServerFromString(reactor, "tcp:8000"), Factory.For&lt;Echo&gt;()).SetServiceParent(app);
/// reactor.CallWhenRunning(() => app.StartService());
/// reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, app.StopService);
/// </code>
/// </example>
public class StreamServerEndpointService : Service
{
    private Deferred<IListeningPort>? _listening;

    /// <summary>Creates the service; nothing listens until it starts.</summary>
    public StreamServerEndpointService(IStreamServerEndpoint endpoint, IProtocolFactory factory)
    {
        Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        Factory = factory ?? throw new ArgumentNullException(nameof(factory));
    }

    /// <summary>Where it listens.</summary>
    public IStreamServerEndpoint Endpoint { get; }

    /// <summary>What builds each connection's protocol.</summary>
    public IProtocolFactory Factory { get; }

    /// <summary>The port while listening; null before the listen completes and after the service stops.</summary>
    public IListeningPort? Port { get; private set; }

    /// <inheritdoc/>
    /// <remarks>Fires once the endpoint listens; fails with the endpoint's reason (a <see cref="Errors.CannotListenError"/>) if it cannot.</remarks>
    public override Deferred<object?> StartService()
    {
        base.StartService();
        var listening = Endpoint.Listen(Factory);
        _listening = listening;
        return listening.AddCallback<object?>(port =>
        {
            _listening = null;
            Port = port;
            return null;
        });
    }

    /// <inheritdoc/>
    public override Deferred<object?> StopService()
    {
        base.StopService();
        if (_listening is { Called: false } pending)
        {
            // Still listening-in-progress: cancel it (Twisted cancels _waitingForPort).
            _listening = null;
            pending.Cancel();
            return Deferred.Succeed<object?>(null);
        }
        var port = Port;
        Port = null;
        return port is null ? Deferred.Succeed<object?>(null) : port.StopListening();
    }
}
