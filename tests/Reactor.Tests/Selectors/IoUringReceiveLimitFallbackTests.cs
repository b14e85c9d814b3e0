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
    public void AKernelThatRejectsTheLimitGetsOneShotReceivesAndEveryByte()
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        var kernel = new KernelWithoutReceiveLimit();
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
        Assert.That(kernel.Rejected, Is.GreaterThanOrEqualTo(1), "the kernel refused the limited receive");
        Assert.That(streams.MultishotReceive, Is.False, "switched to one-shot receives");
        Assert.That(kernel.LimitedAfterSwitch, Is.Zero, "no receive with a limit was submitted after the switch");
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

    /// <summary>This kernel, made to refuse every RECV that carries a byte limit, as kernels before 6.17 do.</summary>
    private sealed unsafe class KernelWithoutReceiveLimit : IIoUringSyscalls
    {
        private readonly IIoUringSyscalls _kernel = LibcIoUringSyscalls.Instance;
        private IoUringParams _params;
        private byte* _ring;
        private IoUringSqe* _sqes;
        private uint _cqSeen;

        /// <summary>Limited receives the kernel refused (their EINVAL completions seen).</summary>
        public int Rejected { get; private set; }

        /// <summary>Limited receives submitted after the first refusal was posted.</summary>
        public int LimitedAfterSwitch { get; private set; }

        public int Setup(uint entries, IoUringParams* parameters)
        {
            int fd = _kernel.Setup(entries, parameters);
            if (fd >= 0) _params = *parameters;
            return fd;
        }

        public int Enter(int ringFd, uint toSubmit, uint minComplete, uint flags, void* argument, nuint argumentSize)
        {
            uint head = Volatile.Read(ref *(uint*)(_ring + _params.SqOff.Head));
            uint mask = *(uint*)(_ring + _params.SqOff.RingMask);
            var array = (uint*)(_ring + _params.SqOff.Array);
            for (uint i = 0; i < toSubmit; i++)
            {
                IoUringSqe* sqe = &_sqes[array[(head + i) & mask]];
                if (sqe->Opcode != IoUringAbi.OpRecv || sqe->OptLen == 0) continue;
                if (Rejected > 0) LimitedAfterSwitch++;
                sqe->OpFlags |= MsgWaitAll;
            }
            int result = _kernel.Enter(ringFd, toSubmit, minComplete, flags, argument, argumentSize);
            CountRejections();
            return result;
        }

        private void CountRejections()
        {
            var cq = _ring; // the backend maps both queues at once (IORING_FEAT_SINGLE_MMAP)
            uint tail = Volatile.Read(ref *(uint*)(cq + _params.CqOff.Tail));
            uint cqMask = *(uint*)(cq + _params.CqOff.RingMask);
            var cqes = (IoUringCqe*)(cq + _params.CqOff.Cqes);
            for (; _cqSeen != tail; _cqSeen++)
            {
                IoUringCqe* cqe = &cqes[_cqSeen & cqMask];
                if ((cqe->UserData >> 62) == 3 && cqe->Res == -Errno.EINVAL.Value) Rejected++;
            }
        }

        public int Register(int ringFd, uint opcode, void* argument, uint count) => _kernel.Register(ringFd, opcode, argument, count);

        public void* Map(int ringFd, nuint length, long offset, out Errno errno)
        {
            void* address = _kernel.Map(ringFd, length, offset, out errno);
            if (offset == IoUringAbi.OffSqRing) _ring = (byte*)address;
            else if (offset == IoUringAbi.OffSqes) _sqes = (IoUringSqe*)address;
            return address;
        }

        public void Unmap(void* address, nuint length) => _kernel.Unmap(address, length);

        public void* MapBuffers(nuint length, out Errno errno) => _kernel.MapBuffers(length, out errno);
    }
}
