using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Endpoints.Internal;

/// <summary>
/// One <see cref="HostnameEndpoint.Connect"/> in progress: the two lookups, the staggered attempts,
/// and the race between them (RFC 8305 §3-§5). Lives on the reactor thread only.
/// </summary>
internal sealed class HappyEyeballs
{
    private readonly HostnameEndpoint _endpoint;
    private readonly IProtocolFactory _factory;
    private readonly Deferred<IProtocol> _result;
    private readonly Dictionary<AddressFamily, Deferred<IReadOnlyList<IPAddress>>> _lookups = [];
    private readonly Queue<IPAddress> _ipv6 = new();
    private readonly Queue<IPAddress> _ipv4 = new();
    private readonly List<Attempt> _pending = [];
    private IDelayedCall? _resolutionDelay;
    private IDelayedCall? _nextAttempt;
    private AddressFamily _lastFamily = AddressFamily.InterNetwork; // so the first attempt is IPv6
    private TimeSpan _lastAttemptAt;
    private bool _attempting;
    private bool _finished;
    private Failure? _lastFailure;

    public HappyEyeballs(HostnameEndpoint endpoint, IProtocolFactory factory)
    {
        _endpoint = endpoint;
        _factory = factory;
        _result = new Deferred<IProtocol>(_ => Abandon(new CancelledError($"Connecting to {endpoint.Host}:{endpoint.Port} was cancelled.")));
    }

    public Deferred<IProtocol> Start()
    {
        if (IPAddress.TryParse(_endpoint.Host, out var literal))
        {
            Enqueue([literal]);
            Begin();
            return _result;
        }
        foreach (var family in _endpoint.Families)
        {
            Deferred<IReadOnlyList<IPAddress>> lookup;
            try
            {
                lookup = _endpoint.Resolver.ResolveHostName(_endpoint.Host, family);
            }
            catch (Exception e)
            {
                lookup = Deferred.Fail<IReadOnlyList<IPAddress>>(e);
            }
            _lookups[family] = lookup;
        }
        // Subscribe after registering both: an answer that is already there must see the other lookup pending.
        foreach (var (family, lookup) in _lookups.ToList())
        {
            lookup.AddCallbacks<object?>(
                addresses => Answered(family, addresses, null),
                failure => Answered(family, [], failure));
        }
        return _result;
    }

    private object? Answered(AddressFamily family, IReadOnlyList<IPAddress> addresses, Failure? failure)
    {
        _lookups.Remove(family);
        if (_finished) return null;
        if (failure is not null && failure.Value is not DnsLookupError)
        {
            failure = new Failure(new DnsLookupError($"Address \"{_endpoint.Host}\" not found: {failure.Value.Message}", failure.Value));
        }
        if (failure is not null) _lastFailure ??= failure;
        Enqueue(addresses);

        if (!_attempting)
        {
            if (family == AddressFamily.InterNetworkV6 || _lookups.Count == 0)
            {
                Begin();
            }
            else if (_ipv4.Count > 0)
            {
                // RFC 8305 §3: an A answer first waits a little for the AAAA answer.
                _resolutionDelay ??= _endpoint.Clock.CallLater(HostnameEndpoint.ResolutionDelay, Begin);
            }
        }
        else if (_nextAttempt is null && (_ipv6.Count > 0 || _ipv4.Count > 0))
        {
            // Attempting had run out of addresses: these new ones continue the stagger.
            ScheduleNextAttempt(_pending.Count == 0 ? TimeSpan.Zero : _lastAttemptAt + _endpoint.AttemptDelay - _endpoint.Clock.Now);
        }
        FailIfExhausted();
        return null;
    }

    private void Enqueue(IEnumerable<IPAddress> addresses)
    {
        foreach (var address in addresses)
        {
            (address.AddressFamily == AddressFamily.InterNetworkV6 ? _ipv6 : _ipv4).Enqueue(address);
        }
    }

    private void Begin()
    {
        if (_resolutionDelay?.Active == true) _resolutionDelay.Cancel();
        _resolutionDelay = null;
        if (_attempting || _finished) return;
        _attempting = true;
        StartNextAttempt();
    }

    private void ScheduleNextAttempt(TimeSpan delay)
    {
        if (_nextAttempt?.Active == true) _nextAttempt.Cancel();
        _nextAttempt = null;
        if (delay <= TimeSpan.Zero) StartNextAttempt();
        else _nextAttempt = _endpoint.Clock.CallLater(delay, StartNextAttempt);
    }

    private void StartNextAttempt()
    {
        _nextAttempt = null;
        if (_finished) return;
        var address = NextAddress();
        if (address is null)
        {
            FailIfExhausted();
            return;
        }
        _lastFamily = address.AddressFamily;
        _lastAttemptAt = _endpoint.Clock.Now;
        var attempt = new Attempt(this, address);
        _pending.Add(attempt);
        try
        {
            attempt.Connector = _endpoint.Reactor.ConnectTcp(address.ToString(), _endpoint.Port, attempt, _endpoint.Timeout, _endpoint.BindAddress);
        }
        catch (Exception e)
        {
            AttemptFailed(attempt, new Failure(e));
            return;
        }
        if (!_finished && _pending.Contains(attempt) && (_ipv6.Count > 0 || _ipv4.Count > 0 || _lookups.Count > 0))
        {
            ScheduleNextAttempt(_endpoint.AttemptDelay);
        }
    }

    /// <summary>RFC 8305 §4: alternate families, starting with IPv6.</summary>
    private IPAddress? NextAddress()
    {
        var preferred = _lastFamily == AddressFamily.InterNetworkV6 ? _ipv4 : _ipv6;
        var other = ReferenceEquals(preferred, _ipv6) ? _ipv4 : _ipv6;
        if (preferred.Count > 0) return preferred.Dequeue();
        if (other.Count > 0) return other.Dequeue();
        return null;
    }

    private void AttemptFailed(Attempt attempt, Failure reason)
    {
        if (!_pending.Remove(attempt) || _finished) return;
        _lastFailure = reason;
        // RFC 8305 §5: a failed attempt does not wait out the stagger.
        if (_ipv6.Count > 0 || _ipv4.Count > 0)
        {
            ScheduleNextAttempt(TimeSpan.Zero);
        }
        FailIfExhausted();
    }

    private void FailIfExhausted()
    {
        if (_finished || (!_attempting && _lookups.Count > 0)) return;
        if (_pending.Count > 0 || _lookups.Count > 0 || _ipv6.Count > 0 || _ipv4.Count > 0 || _nextAttempt?.Active == true || _resolutionDelay?.Active == true) return;
        // Every attempt failed: report the last one's reason (as Twisted); no attempt at all: the lookup's.
        var reason = _lastFailure ?? new Failure(new DnsLookupError($"Address \"{_endpoint.Host}\" not found: no addresses to connect to."));
        Finish();
        _result.Errback(reason);
    }

    /// <summary>Called when <paramref name="winner"/>'s connection is made: it wins unless another already has.</summary>
    private bool TryWin(Attempt winner)
    {
        if (_finished) return false;
        _pending.Remove(winner);
        Finish();
        return true;
    }

    private void Abandon(Exception reason)
    {
        if (_finished) return;
        _result.Errback(reason);
        Finish();
    }

    /// <summary>Stops everything still running: timers, lookups and the attempts that did not win.</summary>
    private void Finish()
    {
        _finished = true;
        if (_resolutionDelay?.Active == true) _resolutionDelay.Cancel();
        if (_nextAttempt?.Active == true) _nextAttempt.Cancel();
        foreach (var lookup in _lookups.Values.ToList()) lookup.Cancel();
        _lookups.Clear();
        foreach (var loser in _pending.ToList())
        {
            try
            {
                loser.Connector?.StopConnecting();
            }
            catch (InvalidOperationException)
            {
                // It connected or failed meanwhile; if it connects, BuildProtocol refuses it.
            }
        }
        _pending.Clear();
    }

    /// <summary>One connection attempt to one address: the factory the reactor sees for it.</summary>
    private sealed class Attempt(HappyEyeballs race, IPAddress address) : ClientFactory
    {
        public IConnector? Connector { get; set; }

        public IPAddress Address { get; } = address;

        public override void StartFactory() => race._factory.DoStart();

        public override void StopFactory() => race._factory.DoStop();

        public override void StartedConnecting(IConnector connector) => Connector ??= connector;

        public override IProtocol? BuildProtocol(EndPoint peer)
        {
            // Refusing closes the connection at once: a loser that connected anyway never reaches the user.
            if (!race.TryWin(this)) return null;
            IProtocol? protocol;
            try
            {
                protocol = race._factory.BuildProtocol(peer);
            }
            catch (Exception e)
            {
                race._result.Errback(e);
                return null;
            }
            if (protocol is null)
            {
                race._result.Errback(new ConnectError($"The protocol factory built no protocol for the connection to {peer}."));
                return null;
            }
            return ConnectingProtocol.Wrap(protocol, (p, error) =>
            {
                if (race._result.Called) return;
                if (error is null) race._result.Callback(p);
                else race._result.Errback(error);
            });
        }

        public override void ClientConnectionFailed(IConnector connector, Failure reason) => race.AttemptFailed(this, reason);
    }
}
