using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints.Internal;

/// <summary>
/// The client factory an endpoint hands to the reactor (Twisted's <c>_WrappingFactory</c>): it
/// builds the user's protocol, turns the attempt's outcome into the <see cref="Connected"/>
/// Deferred, and makes cancelling that Deferred stop the attempt.
/// </summary>
internal sealed class ConnectingFactory : ClientFactory
{
    private readonly IProtocolFactory _wrapped;
    private IConnector? _connector;

    public ConnectingFactory(IProtocolFactory wrapped)
    {
        _wrapped = wrapped;
        Connected = new Deferred<IProtocol>(Cancel);
    }

    /// <summary>
    /// What a client endpoint's <c>Connect</c> returns: starts the attempt with
    /// <paramref name="connect"/>(<paramref name="endpoint"/>, a factory wrapping
    /// <paramref name="factory"/>) and returns <see cref="Connected"/>. A connect that throws (an
    /// argument the reactor refuses) gives a failed Deferred rather than an exception, as Twisted's
    /// endpoints do. <paramref name="connect"/> is meant to be a static lambda: nothing is captured.
    /// </summary>
    public static Deferred<IProtocol> Start<TEndpoint>(IProtocolFactory factory, TEndpoint endpoint, Func<TEndpoint, ClientFactory, IConnector> connect)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var connecting = new ConnectingFactory(factory);
        try
        {
            connecting.Attach(connect(endpoint, connecting));
        }
        catch (Exception e)
        {
            return Deferred.Fail<IProtocol>(e);
        }
        return connecting.Connected;
    }

    /// <summary>Fires with the user's protocol after its ConnectionMade, or fails with why the attempt failed.</summary>
    public Deferred<IProtocol> Connected { get; }

    /// <summary>Records the connector so a cancel can stop it (the reactor returns it after StartedConnecting may already have run).</summary>
    public void Attach(IConnector connector) => _connector ??= connector;

    public override void StartFactory() => _wrapped.DoStart();

    public override void StopFactory() => _wrapped.DoStop();

    public override void StartedConnecting(IConnector connector) => _connector ??= connector;

    public override IProtocol? BuildProtocol(EndPoint address)
    {
        if (Connected.Called) return null;
        IProtocol? protocol;
        try
        {
            protocol = _wrapped.BuildProtocol(address);
        }
        catch (Exception e)
        {
            Connected.Errback(e);
            return null;
        }
        if (protocol is null)
        {
            Connected.Errback(new ConnectError($"The protocol factory built no protocol for the connection to {address}."));
            return null;
        }
        return ConnectingProtocol.Wrap(protocol, OnMade);
    }

    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        if (!Connected.Called) Connected.Errback(reason);
    }

    private void OnMade(IProtocol protocol, Exception? error)
    {
        if (Connected.Called) return;
        if (error is null) Connected.Callback(protocol);
        else Connected.Errback(error);
    }

    private void Cancel(Deferred<IProtocol> connected)
    {
        var destination = _connector?.GetDestination();
        connected.Errback(new CancelledError($"Connecting to {destination?.ToString() ?? "the endpoint"} was cancelled."));
        try
        {
            _connector?.StopConnecting();
        }
        catch (InvalidOperationException)
        {
            // Already connected or already failed: nothing left to stop.
        }
    }
}
