using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Net.Resolution;

/// <summary>One-address resolution with a timeout on top of any <see cref="IHostnameResolver"/> (Twisted's <c>reactor.resolve</c>).</summary>
public static class HostnameResolverExtensions
{
    /// <summary>How long <see cref="ResolveAddress"/> waits when no timeout is given: 60 s, the sum of Twisted's (1, 3, 11, 45).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Resolves <paramref name="name"/> to one address: the resolver's first answer. An empty name
    /// means 0.0.0.0 and an IP literal is returned as is, without asking the resolver (as Twisted).
    /// </summary>
    /// <param name="resolver">The resolver to ask.</param>
    /// <param name="name">The host name.</param>
    /// <param name="clock">Times the lookup out.</param>
    /// <param name="timeout">How long to wait for an answer; null for <see cref="DefaultTimeout"/>.</param>
    /// <param name="family">Restricts the answer to IPv4 or IPv6; Unspecified takes either.</param>
    /// <returns>
    /// A Deferred firing (on the reactor thread) with the address, or failing with
    /// <see cref="DnsLookupError"/> when the name does not resolve, resolves to nothing, or the
    /// timeout passes first. Cancelling it abandons the lookup.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive.</exception>
    public static Deferred<IPAddress> ResolveAddress(this IHostnameResolver resolver, string name, IReactorTime clock,
        TimeSpan? timeout = null, AddressFamily family = AddressFamily.Unspecified)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(clock);
        var wait = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        ResolverChecks.Family(family);
        if (name.Length == 0) return Deferred.Succeed(IPAddress.Any);
        if (IPAddress.TryParse(name, out var literal)) return Deferred.Succeed(literal);

        var lookup = resolver.ResolveHostName(name, family);
        IDelayedCall? timer = null;
        var result = new Deferred<IPAddress>(self =>
        {
            // Fire first: cancelling the lookup errbacks it synchronously, and that must find us done.
            self.Errback(new CancelledError($"Resolving \"{name}\" was cancelled."));
            if (timer?.Active == true) timer.Cancel();
            lookup.Cancel();
        });
        timer = clock.CallLater(wait, () =>
        {
            if (result.Called) return;
            result.Errback(new DnsLookupError($"Address \"{name}\" not found: no answer within {wait.TotalSeconds:0.###} s."));
            lookup.Cancel();
        });
        lookup.AddCallbacks<object?>(
            addresses =>
            {
                if (timer.Active) timer.Cancel();
                if (result.Called) return null;
                if (addresses.Count == 0) result.Errback(new DnsLookupError($"Address \"{name}\" not found: the resolver returned no addresses."));
                else result.Callback(addresses[0]);
                return null;
            },
            failure =>
            {
                if (timer.Active) timer.Cancel();
                if (result.Called) return null; // our own cancel, after a timeout or a cancel of the result
                result.Errback(failure.Value is DnsLookupError
                    ? failure
                    : new Failure(new DnsLookupError($"Address \"{name}\" not found: {failure.Value.Message}", failure.Value)));
                return null;
            });
        return result;
    }
}
