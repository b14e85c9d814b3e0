using System.Text;
using Reactor.Tests.Net.Tls.Support;

namespace Reactor.Tests.Net.Tls;

/// <summary>
/// SslStream's continuations run inline on the thread that feeds the TLS layer (the reactor's):
/// even under a SynchronizationContext that would send them elsewhere, nothing leaves the thread.
/// </summary>
public sealed class TlsThreadingTests
{
    [Test]
    public void EverythingRunsOnTheFeedingThreadEvenUnderAForeignSynchronizationContext()
    {
        var saved = SynchronizationContext.Current;
        var foreign = new ThreadPoolContext();
        SynchronizationContext.SetSynchronizationContext(foreign);
        try
        {
            var server = new TlsRecorder { Echo = true };
            var client = new TlsRecorder { Greeting = Encoding.ASCII.GetBytes("ping") };
            var pair = TlsPair.Connect(server, client);

            pair.Run(() => client.ReceivedText == "ping");
            client.Transport.LoseConnection();
            pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

            var me = Environment.CurrentManagedThreadId;
            Assert.Multiple(() =>
            {
                Assert.That(server.Threads, Is.EqualTo(new[] { me }));
                Assert.That(client.Threads, Is.EqualTo(new[] { me }));
                Assert.That(pair.ServerLayer.MarshalledContinuations + pair.ClientLayer.MarshalledContinuations, Is.Zero);
                Assert.That(foreign.Posts, Is.Zero, "nothing was posted to the foreign context");
                Assert.That(SynchronizationContext.Current, Is.SameAs(foreign), "the context is restored after each call");
            });
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(saved);
        }
    }

    /// <summary>A context that would run continuations on the thread pool, and counts them.</summary>
    private sealed class ThreadPoolContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }
    }
}
