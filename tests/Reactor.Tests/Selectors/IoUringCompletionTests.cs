using System.Net;
using System.Net.Sockets;
using System.Text;
using Reactor.Native;
using Reactor.Selectors;
using Reactor.Selectors.IoUring;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The io_uring backend's completion side against the real kernel: a claimed socket is read by a
/// multishot RECV into the provided-buffer ring, a claimed listener by a multishot ACCEPT; results
/// are held while reading is paused, a receive starved by an empty ring is armed again when buffers
/// come back, and a released descriptor's buffers all return.
/// </summary>
public sealed class IoUringCompletionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private IoUringSelector _selector = null!;
    private SocketPairs _pairs = null!;
    private readonly SelectorEvent[] _events = new SelectorEvent[64];

    [SetUp]
    public void SetUp()
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        _selector = IoUringSelector.TryCreate(out _)!;
        _pairs = new SocketPairs();
    }

    [TearDown]
    public void TearDown()
    {
        _selector?.Dispose();
        _pairs?.Dispose();
    }

    private CompletionStreams Streams => _selector.Completions;

    [Test]
    public void AClaimedSocketsBytesArriveInARingBufferAndTheBufferGoesBack()
    {
        (int local, int peer) = _pairs.Create();
        Assert.That(Streams.TryClaimReceive(local), Is.True);
        _selector.Register(local, Interest.Read, 7);
        Send(peer, "hello");

        Assert.That(WaitForToken(7).Events, Is.EqualTo(SelectorEvents.Readable));
        Assert.That(Streams.TakeReceived(local, out var data, out _), Is.EqualTo(CompletionStreams.Received.Data));
        Assert.That(Encoding.ASCII.GetString(data), Is.EqualTo("hello"));
        Assert.That(Streams.Buffers!.Available, Is.EqualTo(Streams.Buffers.Count - 1), "lent out until returned");
        Streams.ReturnReceived(local);
        Assert.That(Streams.Buffers.Available, Is.EqualTo(Streams.Buffers.Count));
        Assert.That(Streams.TakeReceived(local, out _, out _), Is.EqualTo(CompletionStreams.Received.Nothing));
    }

    [Test]
    public void ThePeersCloseIsTheEndAfterEveryByte()
    {
        (int local, int peer) = _pairs.Create();
        Streams.TryClaimReceive(local);
        _selector.Register(local, Interest.Read, 7);
        Send(peer, "one");
        Send(peer, "two");
        _pairs.Close(peer);

        var (text, end, error) = ReceiveUntilEnd(local);
        Assert.That(text, Is.EqualTo("onetwo"));
        Assert.That(end, Is.True);
        Assert.That(error, Is.EqualTo(Errno.Success), "a FIN, not an error");
    }

    [Test]
    public void WritabilityIsStillPolledForAClaimedSocket()
    {
        (int local, _) = _pairs.Create();
        Streams.TryClaimReceive(local);
        _selector.Register(local, Interest.ReadWrite, 7);
        Assert.That(WaitForToken(7).Events & SelectorEvents.Writable, Is.EqualTo(SelectorEvents.Writable));
    }

    [Test]
    public void ResultsHeldAtAPauseAreReportedOnlyOnResumeAndNothingIsLost()
    {
        (int local, int peer) = _pairs.Create();
        Streams.TryClaimReceive(local);
        _selector.Register(local, Interest.Read, 7);
        Send(peer, "held");
        WaitUntil(() => Streams.HeldCount(local) == 1, "the receive completes and is held");

        // Paused with a completion not yet taken; more arrives while paused (held, or left in the socket by the cancel).
        _selector.Modify(local, Interest.None, 7);
        Send(peer, "+more");
        for (int i = 0; i < 3; i++) Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero, "nothing is reported while paused");
        Assert.That(Streams.HeldCount(local), Is.GreaterThanOrEqualTo(1), "held, not dropped");

        _selector.Modify(local, Interest.Read, 8);
        Assert.That(WaitForToken(8).Events, Is.EqualTo(SelectorEvents.Readable));
        _pairs.Close(peer);
        Assert.That(ReceiveUntilEnd(local).Text, Is.EqualTo("held+more"), "held bytes first, then what the re-armed receive read");
    }

    [Test]
    public void AnEmptyBufferRingStarvesTheReceiveWhichIsArmedAgainWhenBuffersReturn()
    {
        _selector.UseCompletionBuffers(count: 2, size: 16);
        (int local, int peer) = _pairs.Create();
        Streams.TryClaimReceive(local);
        _selector.Register(local, Interest.Read, 7);
        var sent = new StringBuilder();
        for (int i = 0; i < 40; i++) sent.Append($"<{i:D3}>");
        Send(peer, sent.ToString()); // 200 bytes: two 16-byte buffers cannot hold it

        WaitUntil(() => Streams.HeldCount(local) == 2 && Streams.Starvations > 0, "both buffers fill, then the receive starves");
        Assert.That(Streams.Buffers!.Available, Is.Zero);
        _pairs.Close(peer);

        var (text, end, _) = ReceiveUntilEnd(local);
        Assert.That(text, Is.EqualTo(sent.ToString()), "every byte, in order, after re-arming");
        Assert.That(end, Is.True);
        Assert.That(Streams.Starvations, Is.GreaterThanOrEqualTo(1));
        Assert.That(Streams.Buffers.Available, Is.EqualTo(2));
    }

    [Test]
    public void AReleasedSocketsHeldAndLateBuffersAllReturn()
    {
        (int local, int peer) = _pairs.Create();
        Streams.TryClaimReceive(local);
        _selector.Register(local, Interest.Read, 7);
        Send(peer, "dropped");
        WaitUntil(() => Streams.HeldCount(local) == 1, "held");

        ((ISelector)_selector).UnregisterBeforeClose(local);
        Streams.Release(local);
        _pairs.Close(local);
        Send(peer, "x", allowFailure: true);
        Assert.That(Streams.IsClaimed(local), Is.False);
        WaitUntil(() => Streams.Buffers!.Available == Streams.Buffers.Count, "every buffer is back in the ring");
        Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero, "nothing is reported for a released descriptor");
    }

    [Test]
    public void AClaimedListenerAcceptsThroughOneMultishotAccept()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        int fd = (int)listener.Handle;
        Streams.ClaimAccept(fd);
        _selector.Register(fd, Interest.Read, 3);

        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                client.Connect(listener.LocalEndPoint!);
            }
            var accepted = new List<int>();
            var deadline = DateTime.UtcNow + Deadline;
            while (accepted.Count < 3 && DateTime.UtcNow < deadline)
            {
                int n = _selector.Wait(_events, TimeSpan.FromMilliseconds(100));
                for (int i = 0; i < n; i++) Assert.That(_events[i].Token, Is.EqualTo(3));
                while (Streams.TakeAccepted(fd, out int conn, out Errno error))
                {
                    Assert.That(error, Is.EqualTo(Errno.Success));
                    accepted.Add(conn);
                }
            }
            Assert.That(accepted, Has.Count.EqualTo(3));
            foreach (int conn in accepted)
            {
                Assert.That(conn, Is.GreaterThanOrEqualTo(0));
                LibcSyscalls.Instance.Close(conn, out _);
            }
            _selector.Unregister(fd);
            Streams.Release(fd);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private (string Text, bool End, Errno Error) ReceiveUntilEnd(int fd)
    {
        var text = new StringBuilder();
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            _selector.Wait(_events, TimeSpan.FromMilliseconds(100));
            while (true)
            {
                var taken = Streams.TakeReceived(fd, out var data, out var error);
                if (taken == CompletionStreams.Received.Nothing) break;
                if (taken == CompletionStreams.Received.End) return (text.ToString(), true, error);
                text.Append(Encoding.ASCII.GetString(data));
                Streams.ReturnReceived(fd);
            }
        }
        return (text.ToString(), false, Errno.Success);
    }

    private SelectorEvent WaitForToken(long token)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            int n = _selector.Wait(_events, TimeSpan.FromMilliseconds(100));
            for (int i = 0; i < n; i++)
            {
                if (_events[i].Token == token) return _events[i];
            }
        }
        Assert.Fail($"no report for token {token} within {Deadline}");
        return default;
    }

    private void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until: {what}");
            _selector.Wait(_events, TimeSpan.FromMilliseconds(20));
        }
    }

    private static unsafe void Send(int fd, string text, bool allowFailure = false)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = bytes)
        {
            nint sent = LibcSyscalls.Instance.Write(fd, p, bytes.Length, out Errno errno);
            if (sent != bytes.Length && !allowFailure) throw errno.ToIOException("write");
        }
    }
}
