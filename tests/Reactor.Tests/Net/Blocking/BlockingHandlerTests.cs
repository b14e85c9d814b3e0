using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Blocking;
using Reactor.Net.Blocking.Internal;
using Reactor.Tests.Core;

namespace Reactor.Tests.Net.Blocking;

/// <summary>
/// Blocking handlers on worker threads against real loopback clients: 500 connections on 16
/// workers, memory bounded both ways, and the busy policy (queue, then refuse).
/// </summary>
[TestFixture]
public sealed class BlockingHandlerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private CapturingLogger _logger = null!;
    private ReactorLoop _reactor = null!;
    private Thread? _loop;

    [SetUp]
    public void SetUp()
    {
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Logger = _logger });
    }

    [TearDown]
    public void TearDown()
    {
        if (_loop is not null)
        {
            _reactor.CallFromThread(_reactor.Stop);
            _loop.Join(Deadline);
        }
        _reactor.Dispose();
    }

    private int Listen(BlockingHandlerFactory factory)
    {
        var port = _reactor.ListenTcp(0, factory, backlog: 1024, @interface: "127.0.0.1");
        _loop = new Thread(_reactor.Run) { IsBackground = true, Name = "reactor under test" };
        _loop.Start();
        return ((IPEndPoint)port.GetHost()).Port;
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)Deadline.TotalMilliseconds };
        socket.Connect(IPAddress.Loopback, port);
        return socket;
    }

    private static byte[] ReadToEnd(Socket socket)
    {
        var result = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = socket.Receive(buffer)) > 0) result.Write(buffer, 0, n);
        return result.ToArray();
    }

    /// <summary>socketserver's echo handler: read to end of input, write it back.</summary>
    private static void Echo(BlockingConnection connection)
    {
        var buffer = new byte[8192];
        int n;
        while ((n = connection.Stream.Read(buffer)) > 0) connection.Stream.Write(buffer, 0, n);
    }

    [Test]
    public void FiveHundredConcurrentConnectionsOnSixteenWorkersAreAllServedInArrivalOrder()
    {
        var starts = new List<long>();
        var streams = new List<BlockingSocketStream>();
        using var returned = new CountdownEvent(500);
        var factory = new BlockingHandlerFactory(_reactor, connection =>
        {
            lock (starts)
            {
                starts.Add(connection.Sequence);
                streams.Add((BlockingSocketStream)connection.Stream);
            }
            Echo(connection);
            returned.Signal();
        }, new BlockingHandlerOptions { Workers = 16 });
        var port = Listen(factory);

        var clients = new List<Socket>();
        for (var i = 0; i < 500; i++)
        {
            var socket = Connect(port);
            socket.Send(Encoding.ASCII.GetBytes($"request {i}: " + new string('x', 2000) + "\n"));
            socket.Shutdown(SocketShutdown.Send);
            clients.Add(socket);
        }
        for (var i = 0; i < 500; i++)
        {
            var reply = Encoding.ASCII.GetString(ReadToEnd(clients[i]));
            Assert.That(reply, Is.EqualTo($"request {i}: " + new string('x', 2000) + "\n"), $"client {i}");
            clients[i].Dispose();
        }
        Assert.That(returned.Wait(Deadline), Is.True, "every handler returns");

        lock (starts)
        {
            Assert.Multiple(() =>
            {
                Assert.That(starts.Order(), Is.EqualTo(Enumerable.Range(0, 500).Select(i => (long)i)), "each connection served once");
                // Arrival order is asserted with one worker (below): with sixteen, a worker preempted
                // between taking a connection and starting its handler lets others overtake it.
                Assert.That(factory.PeakRunning, Is.InRange(1, 16), "never more than 16 handlers at once");
                Assert.That(factory.Refused, Is.Zero);
                Assert.That(streams.Max(s => s.PeakBuffered), Is.LessThanOrEqualTo(factory.Options.InputLimit + 65536));
            });
        }
    }

    [Test]
    public void QueuedConnectionsAreHandedToWorkersInArrivalOrder()
    {
        const int queued = 20;
        using var release = new ManualResetEventSlim();
        var served = new List<(long Sequence, int Client)>();
        var factory = new BlockingHandlerFactory(_reactor, connection =>
        {
            release.Wait(Deadline);
            var first = new byte[1];
            var client = connection.Stream.Read(first) == 1 ? first[0] : -1;
            lock (served) served.Add((connection.Sequence, client));
            Echo(connection);
        }, new BlockingHandlerOptions { Workers = 1, MaxQueued = queued });
        var port = Listen(factory);

        // Each client is connected (accepted by the kernel, in order) before the next one starts,
        // and says who it is in its first byte.
        var clients = new List<Socket>();
        for (var i = 0; i <= queued; i++)
        {
            var socket = Connect(port);
            socket.Send([(byte)i]);
            socket.Shutdown(SocketShutdown.Send);
            clients.Add(socket);
        }
        release.Set();
        foreach (var socket in clients)
        {
            ReadToEnd(socket);
            socket.Dispose();
        }

        lock (served)
        {
            Assert.That(served.Select(s => s.Client), Is.EqualTo(Enumerable.Range(0, queued + 1)), "one worker takes the queue in arrival order");
            Assert.That(served.Select(s => s.Sequence), Is.EqualTo(Enumerable.Range(0, queued + 1).Select(i => (long)i)), "sequence numbers follow arrival");
            Assert.That(factory.Refused, Is.Zero);
        }
    }

    [Test]
    public void ABigTransferKeepsMemoryBoundedBothWays()
    {
        BlockingSocketStream? stream = null;
        var factory = new BlockingHandlerFactory(_reactor, connection =>
        {
            stream = (BlockingSocketStream)connection.Stream;
            Echo(connection);
        }, new BlockingHandlerOptions { Workers = 2, InputLimit = 32 * 1024, OutputLimit = 16 * 1024 });
        var port = Listen(factory);
        using var client = Connect(port);
        const int total = 16 << 20;
        Exception? sendFailure = null;
        var sender = new Thread(() =>
        {
            // Caught, not thrown: an exception on a raw thread would crash the test host and hide
            // the reason the main thread saw first.
            try
            {
                var chunk = new byte[65536];
                for (var sent = 0; sent < total; sent += chunk.Length)
                {
                    for (var i = 0; i < chunk.Length; i++) chunk[i] = NetTesting.PatternAt(sent + i);
                    client.Send(chunk);
                }
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex)
            {
                sendFailure = ex;
            }
        });
        sender.Start();
        // A slow reader: small reads, so the server's output backs up.
        long received = 0, mismatches = 0;
        var buffer = new byte[4096];
        int n;
        while ((n = client.Receive(buffer)) > 0)
        {
            for (var i = 0; i < n; i++) if (buffer[i] != NetTesting.PatternAt(received + i)) mismatches++;
            received += n;
        }
        Assert.That(sender.Join(Deadline), Is.True, "the sender finishes");
        Assert.That(sendFailure, Is.Null, () => $"sending failed: {sendFailure}; server log: {string.Join(" | ", _logger.Entries.Select(e => e.Message))}");
        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(total));
            Assert.That(mismatches, Is.Zero);
            Assert.That(stream!.PeakBuffered, Is.LessThanOrEqualTo(32 * 1024 + 65536), "reading paused at the input limit");
            Assert.That(stream.PeakInFlight, Is.LessThanOrEqualTo(16 * 1024), "writes blocked at the output limit");
        });
    }

    [Test]
    public void WhenEveryWorkerIsBusyConnectionsQueueUpToTheLimitAndTheNextIsRefused()
    {
        using var release = new ManualResetEventSlim();
        var factory = new BlockingHandlerFactory(_reactor, connection =>
        {
            release.Wait(Deadline);
            Echo(connection);
        }, new BlockingHandlerOptions { Workers = 2, MaxQueued = 1 });
        var port = Listen(factory);
        var served = Enumerable.Range(0, 3).Select(_ => Connect(port)).ToList();
        using var refused = Connect(port);
        // The refusal is counted on the reactor thread before the connection is closed, so the
        // client's end of input comes after it.
        Assert.That(ReadToEnd(refused), Is.Empty, "closed without a byte");
        Assert.That(factory.Refused, Is.EqualTo(1), "the fourth connection is refused");

        release.Set();
        foreach (var (socket, i) in served.Select((s, i) => (s, i)))
        {
            socket.Send(Encoding.ASCII.GetBytes($"queued {i}"));
            socket.Shutdown(SocketShutdown.Send);
            Assert.That(Encoding.ASCII.GetString(ReadToEnd(socket)), Is.EqualTo($"queued {i}"));
            socket.Dispose();
        }
        Assert.That(_logger.Entries.Any(e => e.Message.Contains("Refused a connection")), Is.True, "the refusal is logged");
    }

    [Test]
    public void TheRefusePolicyClosesAConnectionAtOnceWhenNoWorkerIsFree()
    {
        using var release = new ManualResetEventSlim();
        var factory = new BlockingHandlerFactory(_reactor, connection =>
        {
            release.Wait(Deadline);
            Echo(connection);
        }, new BlockingHandlerOptions { Workers = 1, WhenBusy = BusyPolicy.Refuse });
        var port = Listen(factory);
        using var first = Connect(port);
        using var second = Connect(port);
        Assert.That(ReadToEnd(second), Is.Empty, "closed without a byte");
        Assert.That(factory.Refused, Is.EqualTo(1), "the second connection is refused");
        release.Set();
        first.Send("ok"u8.ToArray());
        first.Shutdown(SocketShutdown.Send);
        Assert.That(ReadToEnd(first), Is.EqualTo("ok"u8.ToArray()));
    }

    [Test]
    public void AHandlersExceptionIsLoggedAndItsConnectionClosed()
    {
        var factory = new BlockingHandlerFactory(_reactor, _ => throw new InvalidOperationException("handler failed"));
        var port = Listen(factory);
        using var client = Connect(port);
        // The failure is logged before the worker closes the connection, so the client's end of input comes after it.
        Assert.That(ReadToEnd(client), Is.Empty);
        Assert.That(_logger.Errors.Any(e => e.Exception is InvalidOperationException), Is.True);
    }

    [Test]
    public void BadOptionsAreRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new BlockingHandlerFactory(_reactor, Echo, new BlockingHandlerOptions { Workers = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new BlockingHandlerFactory(_reactor, Echo, new BlockingHandlerOptions { MaxQueued = -1 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
