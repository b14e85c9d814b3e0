using System.Text;
using Reactor.Native;
using Reactor.Selectors;
using Reactor.Selectors.IoUring;

namespace Reactor.Tests.Selectors;

/// <summary>
/// A kernel before 6.17 has no byte limit for a multishot RECV (the field was <c>file_index</c>, which
/// RECV refuses) and answers every receive that carries one with EINVAL. The completion side must then
/// read with one-shot receives and lose nothing. Played here on this kernel by a seam that makes it
/// reject exactly those submissions: any RECV with a limit gets MSG_WAITALL, which a multishot RECV
/// refuses with EINVAL at preparation, before it touches the socket.
/// </summary>
public sealed class IoUringReceiveLimitFallbackTests
{
    private const uint MsgWaitAll = 0x100;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly SelectorEvent[] _events = new SelectorEvent[64];

    [Test]
    public unsafe void AKernelThatRejectsTheLimitGetsOneShotReceivesAndEveryByte()
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        var kernel = new RecordingIoUring();
        int limitedAfterRefusal = 0;
        bool Refused() => kernel.Completed.Any(c => (c.UserData >> 62) == 3 && c.Res == -Errno.EINVAL.Value);
        kernel.Edit = sqe =>
        {
            if (sqe->Opcode != IoUringAbi.OpRecv || sqe->OptLen == 0) return;
            if (Refused()) limitedAfterRefusal++;
            sqe->OpFlags |= MsgWaitAll;
        };
        using var selector = IoUringSelector.TryCreateWith(kernel, LibcSyscalls.Instance, out var whyNot)
            ?? throw new InvalidOperationException(whyNot);
        using var pairs = new SocketPairs();
        (int local, int peer) = pairs.Create();
        var streams = selector.Completions;
        Assert.That(streams.TryClaimReceive(local), Is.True);
        selector.Register(local, Interest.Read, 7);
        Assert.That(streams.MultishotReceive, Is.True, "starts with limited multishot receives");

        var received = new StringBuilder();
        foreach (var message in new[] { "hello", " one-shot", " world" })
        {
            Send(peer, message);
            int expected = received.Length + message.Length;
            var deadline = DateTime.UtcNow + Deadline;
            while (received.Length < expected)
            {
                if (DateTime.UtcNow > deadline) Assert.Fail($"timed out; received so far: \"{received}\"");
                selector.Wait(_events, TimeSpan.FromMilliseconds(20));
                while (streams.TakeReceived(local, out var data, out _) == CompletionStreams.Received.Data)
                {
                    received.Append(Encoding.ASCII.GetString(data));
                    streams.ReturnReceived(local);
                }
            }
        }

        Assert.That(received.ToString(), Is.EqualTo("hello one-shot world"), "every byte, in order");
        Assert.That(Refused(), Is.True, "the kernel refused the limited receive");
        Assert.That(streams.MultishotReceive, Is.False, "switched to one-shot receives");
        Assert.That(limitedAfterRefusal, Is.Zero, "no receive with a limit was submitted after the refusal");
        Assert.That(streams.Buffers!.Available, Is.EqualTo(streams.Buffers.Count), "every buffer back in the ring");
        selector.Unregister(local);
        streams.Release(local);
    }

    private static unsafe void Send(int fd, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = bytes)
        {
            if (LibcSyscalls.Instance.Write(fd, p, bytes.Length, out Errno errno) != bytes.Length) throw errno.ToIOException("write");
        }
    }
}
