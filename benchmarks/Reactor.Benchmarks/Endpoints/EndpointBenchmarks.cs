using System.Net;
using BenchmarkDotNet.Attributes;
using Reactor.Core.Threading;
using Reactor.Core;
using Reactor.Net.Endpoints;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Benchmarks.Endpoints;

/// <summary>
/// The cost of turning a description string into an endpoint (done once per listen/connect, so
/// it only has to be cheap enough never to matter), and of a DeferToThread round trip through
/// the pool and back onto a stand-in reactor thread.
/// </summary>
[MemoryDiagnoser]
public class EndpointBenchmarks
{
    private readonly NullTcpReactor _reactor = new();

    /// <summary>A typical server string with keywords.</summary>
    [Benchmark]
    public IStreamServerEndpoint ParseTcpServer() => EndpointStrings.ServerFromString(_reactor, "tcp:8080:interface=127.0.0.1:backlog=50");

    /// <summary>A client string with positional host and port and two keywords.</summary>
    [Benchmark]
    public IStreamClientEndpoint ParseTcpClient() => EndpointStrings.ClientFromString(_reactor, "tcp:example.com:80:timeout=5:bindAddress=10.0.0.2");

    /// <summary>An escaped IPv6 interface.</summary>
    [Benchmark]
    public IStreamServerEndpoint ParseTcp6Server() => EndpointStrings.ServerFromString(_reactor, "tcp6:8080:interface=\\:\\:1");

    /// <summary>A reactor that is only a type for the parser to check; nothing is ever listened on.</summary>
    private sealed class NullTcpReactor : IReactorTcp
    {
        public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null) =>
            throw new InvalidOperationException("benchmark reactor");

        public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, IPEndPoint? bindAddress = null) =>
            throw new InvalidOperationException("benchmark reactor");
    }
}

/// <summary>DeferToThreadPool: queue to a worker, compute, hand back through CallFromThread, fire the Deferred.</summary>
[MemoryDiagnoser]
public class DeferToThreadBenchmarks
{
    private readonly InlineReactor _reactor = new();
    private ReactorThreadPool _pool = null!;

    /// <summary>Starts a one-thread pool.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pool = new ReactorThreadPool(1, 1);
        _pool.Start();
    }

    /// <summary>Stops the pool.</summary>
    [GlobalCleanup]
    public void Cleanup() => _pool.Stop();

    /// <summary>One round trip, waited for on the calling thread.</summary>
    [Benchmark]
    public int RoundTrip()
    {
        var d = Threads.DeferToThreadPool(_reactor, _pool, () => 42);
        _reactor.Drain(() => d.Called);
        var result = 0;
        d.AddCallback(v => { result = v; });
        return result;
    }

    /// <summary>Runs handed-over calls when the benchmark thread drains it.</summary>
    private sealed class InlineReactor : IReactorFromThreads
    {
        private readonly System.Collections.Concurrent.BlockingCollection<Action> _calls = [];

        public void CallFromThread(Action action) => _calls.Add(action);

        public void Drain(Func<bool> done)
        {
            while (!done()) _calls.Take()();
        }
    }
}
