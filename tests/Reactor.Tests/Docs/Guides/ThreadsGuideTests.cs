using System.Security.Cryptography;
using Reactor.Core;
using Reactor.Docs.Samples.Guides.Threads;
using Reactor.Tests.Core;
using Reactor.Tests.Net;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/threads.md: work leaves the reactor thread and its results come back to it.</summary>
public class ThreadsGuideTests
{
    private static ReactorLoop CreateReactor() =>
        ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });

    [Test]
    public void TheHashIsComputedInAWorkerAndDeliveredOnTheReactorThread()
    {
        using var reactor = CreateReactor();
        var reactorThread = Environment.CurrentManagedThreadId; // Run runs the loop on this thread
        string? hash = null;
        int? deliveredOn = null;
        reactor.CallWhenRunning(() => ThreadSamples.HashInThread(reactor, "abc"u8.ToArray()).AddCallback(h =>
        {
            hash = h;
            deliveredOn = Environment.CurrentManagedThreadId;
            reactor.Stop();
        }));
        reactor.CallLater(TimeSpan.FromSeconds(30), reactor.Stop); // bound: never hang the suite
        reactor.Run();
        Assert.That(hash, Is.EqualTo(Convert.ToHexString(SHA256.HashData("abc"u8))));
        Assert.That(deliveredOn, Is.EqualTo(reactorThread));
    }

    [Test]
    public void EveryValueFromTheProgramsThreadArrivesOnTheReactorThreadInOrder()
    {
        using var reactor = CreateReactor();
        var reactorThread = Environment.CurrentManagedThreadId;
        var received = new List<int>();
        var threads = new HashSet<int>();
        var producer = ThreadSamples.StartProducerThread(reactor, 100, value =>
        {
            received.Add(value);
            threads.Add(Environment.CurrentManagedThreadId);
        });
        reactor.RunUntil(() => received.Count == 100, "100 values");
        producer.Join(NetTesting.Deadline);
        Assert.That(received, Is.EqualTo(Enumerable.Range(1, 100)));
        Assert.That(threads, Is.EqualTo(new[] { reactorThread }));
    }

    [Test]
    public void AWorkerReadsTheReactorsTimeThroughBlockingCallFromThread()
    {
        using var reactor = CreateReactor();
        TimeSpan? seen = null;
        var worker = new Thread(() => seen = ThreadSamples.ReadReactorTimeFromWorker(reactor)) { IsBackground = true };
        worker.Start();
        reactor.RunUntil(() => !worker.IsAlive, "the worker to get its answer");
        Assert.That(seen, Is.Not.Null);
        Assert.That(seen!.Value, Is.LessThanOrEqualTo(reactor.Now));
    }
}
