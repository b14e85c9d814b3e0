using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Protocols.Basic;
using Reactor.Protocols;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Protocols.Interop;

/// <summary>
/// Reactor's LineReceiver, Int32StringReceiver and NetstringReceiver exchange messages with
/// Twisted's own receivers over loopback TCP, in both directions (the peer is
/// twisted_framing_peer.py run by Debian's python3-twisted).
/// </summary>
[NonParallelizable]
public class TwistedInteropTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // The same messages as MESSAGES (+ BINARY for length-prefixed framings) in twisted_framing_peer.py.
    private static List<byte[]> Messages(string framing)
    {
        var all = new List<byte[]>
        {
            "hello"u8.ToArray(),
            Array.Empty<byte>(),
            Encoding.ASCII.GetBytes(new string('x', 1000)),
            "with spaces\tand a tab"u8.ToArray(),
            Enumerable.Range(1, 255).Select(i => (byte)i).Where(b => b != '\r' && b != '\n').ToArray(),
        };
        if (framing != "line")
        {
            all.Add([0, (byte)'\r', (byte)'\n', 0xff]);
            all.Add(Encoding.ASCII.GetBytes(new string(',', 10)));
            all.Add("12:not,a,netstring"u8.ToArray());
            all.Add(Encoding.ASCII.GetBytes(new string('y', 50000)));
        }
        return all;
    }

    private static string PeerScript([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "twisted_framing_peer.py");

    [TestCase("line")]
    [TestCase("int32")]
    [TestCase("netstring")]
    public void TwistedClientTalksToOurServer(string framing)
    {
        var python = ExternalTool.RequireTwisted();
        using var reactor = ReactorLoop.Create();
        var listening = reactor.ListenTcp(0, Factory.ForProtocol(() => Framed.Create(framing, echo: true)), @interface: "127.0.0.1");
        var port = ((IPEndPoint)listening.GetHost()).Port;
        using var peer = StartPeer(python, "client", framing, port.ToString());
        try
        {
            RunUntil(reactor, () => peer.HasExited, "the Twisted client to finish");
            var output = peer.StandardOutput.ReadToEnd();
            Assert.That(peer.ExitCode, Is.Zero, $"Twisted client output: {output} {peer.StandardError.ReadToEnd()}");
            Assert.That(output, Does.Contain("OK"));
        }
        finally
        {
            Stop(peer);
            listening.StopListening();
        }
    }

    [TestCase("line")]
    [TestCase("int32")]
    [TestCase("netstring")]
    public void OurClientTalksToTwistedServer(string framing)
    {
        var python = ExternalTool.RequireTwisted();
        using var peer = StartPeer(python, "server", framing);
        try
        {
            var portLine = peer.StandardOutput.ReadLineAsync();
            Assert.That(portLine.Wait(Deadline), Is.True, "the Twisted server printed its port");
            var port = int.Parse(portLine.Result!);
            using var reactor = ReactorLoop.Create();
            var expected = Messages(framing);
            var client = Framed.Create(framing, echo: false);
            client.ToSend = expected;
            var factory = new OneShotClientFactory(client);
            reactor.ConnectTcp("127.0.0.1", port, factory);
            RunUntil(reactor, () => client.Got.Count >= expected.Count || factory.Failure is not null, "the echoes from the Twisted server");
            Assert.That(factory.Failure, Is.Null);
            Assert.That(client.Got, Has.Count.EqualTo(expected.Count));
            for (var i = 0; i < expected.Count; i++) Assert.That(client.Got[i], Is.EqualTo(expected[i]), $"message {i}");
            client.Transport.LoseConnection();
            RunUntil(reactor, () => peer.HasExited, "the Twisted server to stop after the close");
        }
        finally
        {
            Stop(peer);
        }
    }

    private static void RunUntil(ReactorLoop reactor, Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < Deadline) reactor.Iterate(TimeSpan.FromMilliseconds(20));
        Assert.That(condition(), Is.True, $"Timed out after {Deadline.TotalSeconds} s waiting for {what}");
    }

    private static Process StartPeer(string python, params string[] args)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(PeerScript());
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new AssertionException("python did not start");
    }

    private static void Stop(Process peer)
    {
        // Only this test's own child, by its PID.
        if (!peer.HasExited) peer.Kill();
        peer.WaitForExit(10_000);
    }

    private sealed class OneShotClientFactory(IProtocol protocol) : ClientFactory(() => protocol)
    {
        public Failure? Failure { get; private set; }

        public override void ClientConnectionFailed(IConnector connector, Failure reason) => Failure = reason;
    }

    /// <summary>One of our receivers, echoing or sending <see cref="ToSend"/> and recording what comes back.</summary>
    private interface IFramedPeer : IProtocol
    {
        List<byte[]> Got { get; }
        List<byte[]> ToSend { get; set; }
        ITransport Transport { get; }
    }

    private static class Framed
    {
        public static IFramedPeer Create(string framing, bool echo) => framing switch
        {
            "line" => new LinePeer(echo),
            "int32" => new Int32Peer(echo),
            "netstring" => new NetstringPeer(echo),
            _ => throw new ArgumentException("unknown framing", nameof(framing)),
        };
    }

    private sealed class LinePeer : LineReceiver, IFramedPeer
    {
        private readonly bool _echo;
        public LinePeer(bool echo) { _echo = echo; MaxLength = 100000; }
        public List<byte[]> Got { get; } = [];
        public List<byte[]> ToSend { get; set; } = [];
        public override void ConnectionMade() { foreach (var m in ToSend) SendLine(m); }
        public override void LineReceived(ReadOnlySpan<byte> line)
        {
            Got.Add(line.ToArray());
            if (_echo) SendLine(line);
        }
    }

    private sealed class Int32Peer : Int32StringReceiver, IFramedPeer
    {
        private readonly bool _echo;
        public Int32Peer(bool echo) { _echo = echo; MaxLength = 100000; }
        public List<byte[]> Got { get; } = [];
        public List<byte[]> ToSend { get; set; } = [];
        public override void ConnectionMade() { foreach (var m in ToSend) SendString(m); }
        public override void StringReceived(ReadOnlySpan<byte> data)
        {
            Got.Add(data.ToArray());
            if (_echo) SendString(data);
        }
    }

    private sealed class NetstringPeer : NetstringReceiver, IFramedPeer
    {
        private readonly bool _echo;
        public NetstringPeer(bool echo) { _echo = echo; MaxLength = 100000; }
        public List<byte[]> Got { get; } = [];
        public List<byte[]> ToSend { get; set; } = [];
        public override void ConnectionMade() { foreach (var m in ToSend) SendString(m); }
        public override void StringReceived(ReadOnlySpan<byte> data)
        {
            Got.Add(data.ToArray());
            if (_echo) SendString(data);
        }
    }
}
