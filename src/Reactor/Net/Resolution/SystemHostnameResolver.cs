using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Internal;

namespace Reactor.Net.Resolution;

/// <summary>
/// The default resolver: the operating system's (<see cref="Dns.GetHostAddressesAsync(string, AddressFamily, CancellationToken)"/>,
/// i.e. getaddrinfo with /etc/hosts and the system's DNS settings), started off the reactor thread
/// and answered on it with <see cref="IReactorFromThreads.CallFromThread"/> (Twisted's <c>GAIResolver</c>).
/// </summary>
public sealed class SystemHostnameResolver : IHostnameResolver
{
    private readonly IReactorFromThreads _reactor;
    private readonly ILogger _logger;

    /// <summary>Creates a resolver that delivers its answers on <paramref name="reactor"/>'s thread.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/> is null.</exception>
    public SystemHostnameResolver(IReactorFromThreads reactor, ILogger? logger = null)
    {
        _reactor = reactor ?? throw new ArgumentNullException(nameof(reactor));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The host name is empty or the family is not IPv4, IPv6 or Unspecified.</exception>
    public Deferred<IReadOnlyList<IPAddress>> ResolveHostName(string hostName, AddressFamily family = AddressFamily.Unspecified)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        ResolverChecks.Family(family);
        if (IPAddress.TryParse(hostName, out var literal))
        {
            return Deferred.Succeed(ResolverChecks.Filter([literal], family));
        }

        var cancel = new CancellationTokenSource();
        var answer = new Deferred<IReadOnlyList<IPAddress>>(_ => cancel.Cancel());
        // Measured and traced once per lookup (the reactor's instruments; none for other hosts).
        var instruments = (_reactor as Internal.ITransportHost)?.Instruments ?? Internal.NetInstruments.Unobserved;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var activity = instruments.StartActivity("dns.lookup");
        activity?.SetTag("dns.question.name", hostName);
        void Done(Exception? error)
        {
            instruments.LookupDone(started, error);
            if (activity is null) return;
            if (error is not null) activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.Message);
            activity.Dispose();
        }
        answer.AddCallbacks(
            addresses =>
            {
                Done(null);
                return addresses;
            },
            failure =>
            {
                Done(failure.Value);
                failure.Rethrow(); // stays on the error path, as it came
                return null!;
            });
        // Task.Run: on some platforms getaddrinfo runs synchronously inside the async call; never on the loop.
        Task.Run(() => Dns.GetHostAddressesAsync(hostName, family, cancel.Token))
            .ContinueWith(lookup => Deliver(answer, lookup, hostName, family, cancel), TaskScheduler.Default);
        return answer;
    }

    private void Deliver(Deferred<IReadOnlyList<IPAddress>> answer, Task<IPAddress[]> lookup, string hostName, AddressFamily family, CancellationTokenSource cancel)
    {
        try
        {
            _reactor.CallFromThread(() =>
            {
                cancel.Dispose();
                if (answer.Called) return; // cancelled meanwhile
                if (lookup.IsCompletedSuccessfully)
                {
                    answer.Callback(ResolverChecks.Filter(lookup.Result, family));
                }
                else
                {
                    var error = lookup.Exception?.GetBaseException();
                    answer.Errback(new DnsLookupError($"Address \"{hostName}\" not found: {error?.Message ?? "lookup cancelled"}.", error));
                }
            });
        }
        catch (Exception e)
        {
            // The reactor refused the hand-off (disposed): the Deferred can never fire, so say why.
            NetLog.ResolutionNotDelivered(_logger, e, hostName);
        }
    }
}
