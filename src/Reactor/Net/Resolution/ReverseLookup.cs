using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Time;
using Reactor.Net.Internal;

namespace Reactor.Net.Resolution;

/// <summary>
/// Python's <c>socket.gethostbyaddr</c> without blocking the loop: the OS's reverse lookup
/// (getnameinfo, then the name's own addresses, through <see cref="Dns.GetHostEntryAsync(IPAddress)"/>)
/// runs on the thread pool, as Twisted's <c>ThreadedResolver</c> runs its lookups, and the answer
/// comes back on the reactor thread.
/// </summary>
internal static class ReverseLookup
{
    public static Deferred<IPHostEntry> Start(IPAddress address, IReactorFromThreads threads, IReactorTime clock, ILogger logger, TimeSpan timeout)
    {
        var cancel = new CancellationTokenSource();
        var answer = new Deferred<IPHostEntry>(self =>
        {
            self.Errback(new CancelledError($"The reverse lookup of {address} was cancelled."));
            cancel.Cancel();
        });
        var timer = clock.CallLater(timeout, () =>
        {
            if (answer.Called) return;
            answer.Errback(new DnsLookupError($"Address {address} has no name: no answer within {timeout.TotalSeconds:0.###} s."));
            cancel.Cancel();
        });
        // Task.Run: getnameinfo may run synchronously inside the async call; never on the loop.
        Task.Run(() => Dns.GetHostEntryAsync(address.ToString(), cancel.Token)).ContinueWith(lookup =>
        {
            try
            {
                threads.CallFromThread(() =>
                {
                    cancel.Dispose();
                    if (timer.Active) timer.Cancel();
                    if (answer.Called) return; // cancelled or timed out meanwhile
                    if (lookup.IsCompletedSuccessfully) answer.Callback(lookup.Result);
                    else
                    {
                        var error = lookup.Exception?.GetBaseException();
                        answer.Errback(new DnsLookupError($"Address {address} has no name: {error?.Message ?? "lookup cancelled"}.", error));
                    }
                });
            }
            catch (Exception e)
            {
                // The reactor refused the hand-off (disposed): the Deferred can never fire, so say why.
                NetLog.ReverseLookupNotDelivered(logger, e, address);
            }
        }, TaskScheduler.Default);
        return answer;
    }
}
