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
public sealed partial class IoUringCompletionTests
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

    [TestCase(true, TestName = "{m}(multishot with a byte limit)")]
    [TestCase(false, TestName = "{m}(one-shot, as before Linux 6.17)")]
    public void WhatASocketHoldsStaysUnderOneReceivesLimitWhileItsPeerFloodsReadingOrPaused(bool multishot)
    {
        // 64 buffers of 1 KiB, 4 KiB per multishot: the bound is 5 KiB; an unlimited multishot
        // would fill the whole 64 KiB ring from a flooding peer.
        _selector.UseCompletionBuffers(count: 64, size: 1024, receiveLimit: 4096, multishotReceive: multishot);
        (int local, int peer) = _pairs.Create();
        Streams.TryClaimReceive(local);
        _selector.Register(local, Interest.Read, 7);
        const long bound = 5 * 1024; // one receive's limit plus one buffer

        // Reading is asked for but nothing is taken (a consumer that falls behind), then paused.
        long sent = 0, maxHeld = 0;
        sent += FloodUntilTheKernelRefuses(peer, sent, local, ref maxHeld);
        _selector.Modify(local, Interest.None, 7);
        sent += FloodUntilTheKernelRefuses(peer, sent, local, ref maxHeld);

        Assert.That(sent, Is.GreaterThan(8 * bound), "the peer sent far more than the bound");
        Assert.That(maxHeld, Is.LessThanOrEqualTo(bound), "held bytes, sampled after every wait");
        Assert.That(Streams.MaxHeldBytes, Is.EqualTo(bound), "the documented bound");
        Assert.That(Streams.MultishotReceive, Is.EqualTo(multishot), "this kernel takes the byte limit");
        Assert.That(Streams.Starvations, Is.Zero, "the ring never ran dry: the rest of it stays available to other connections");

        _selector.Modify(local, Interest.Read, 8);
        var (count, firstMismatch) = TakePatternUntil(local, sent);
        Assert.That(count, Is.EqualTo(sent), "every byte after resuming");
        Assert.That(firstMismatch, Is.EqualTo(-1), "in order");
    }

    /// <summary>
    /// Writes the pattern to <paramref name="peer"/> until the kernel has refused it in 20 waits
    /// in a row (the socket's buffers are full and nothing more is being read from them), waiting
    /// with the selector between attempts; records the most <paramref name="local"/> held.
    /// </summary>
    private unsafe long FloodUntilTheKernelRefuses(int peer, long offset, int local, ref long maxHeld)
    {
        var chunk = new byte[16 * 1024];
        long sent = 0;
        for (int refused = 0; refused < 20;)
        {
            for (int i = 0; i < chunk.Length; i++) chunk[i] = Reactor.Tests.Net.NetTesting.PatternAt(offset + sent + i);
            nint n;
            fixed (byte* p = chunk) n = LibcSyscalls.Instance.Write(peer, p, chunk.Length, out _);
            if (n > 0)
            {
                sent += n;
                refused = 0;
            }
            else
            {
                refused++;
            }
            _selector.Wait(_events, TimeSpan.Zero);
            maxHeld = Math.Max(maxHeld, Streams.HeldBytes(local));
            Assert.That(sent, Is.LessThan(64L * 1024 * 1024), "the kernel never refused: nothing bounds this socket");
        }
        return sent;
    }

    private (long Count, long FirstMismatch) TakePatternUntil(int fd, long total)
    {
        long count = 0, firstMismatch = -1;
        var deadline = DateTime.UtcNow + Deadline;
        while (count < total && DateTime.UtcNow < deadline)
        {
            _selector.Wait(_events, TimeSpan.FromMilliseconds(100));
            while (Streams.TakeReceived(fd, out var data, out _) == CompletionStreams.Received.Data)
            {
                for (int i = 0; i < data.Length; i++)
                {
                    if (firstMismatch < 0 && data[i] != Reactor.Tests.Net.NetTesting.PatternAt(count + i)) firstMismatch = count + i;
                }
                count += data.Length;
                Streams.ReturnReceived(fd);
            }
        }
        return (count, firstMismatch);
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
