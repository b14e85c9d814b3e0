using Reactor.Native;
using static Reactor.Native.IoUringAbi;
using Operation = Reactor.Selectors.IoUring.CompletionKey.Operation;

namespace Reactor.Selectors.IoUring;

internal sealed unsafe partial class CompletionStreams
{
    /// <summary>What <see cref="TakeReceived"/> found.</summary>
    public enum Received : byte
    {
        /// <summary>Nothing held: wait for the next report.</summary>
        Nothing,

        /// <summary>Bytes, in order; give the buffer back with <see cref="ReturnReceived"/> once they were handled.</summary>
        Data,

        /// <summary>The stream ended after every held byte: the peer's FIN (errno 0) or an error.</summary>
        End,
    }

    /// <summary>
    /// The oldest result held for claimed stream <paramref name="fd"/>. For <see cref="Received.Data"/>,
    /// <paramref name="data"/> stays valid until <see cref="ReturnReceived"/>, which the caller must call
    /// after handing the bytes on (the next take returns the same bytes until then). The end is
    /// reported again on every take, like recv(2) returning 0 again.
    /// </summary>
    public Received TakeReceived(int fd, out ReadOnlySpan<byte> data, out Errno error)
    {
        data = default;
        error = Errno.Success;
        if (!IsClaimed(fd)) return Received.Nothing;
        ref Claim c = ref _claims[fd];
        if (c.HeldCount > 0)
        {
            data = HeldData(ref c, c.Held[c.HeldHead]);
            return Received.Data;
        }
        if (c.End == 0) return Received.Nothing;
        if (c.End < 0) error = new Errno(-c.End);
        return Received.End;
    }

    /// <summary>Gives the buffer of the last <see cref="Received.Data"/> taken from <paramref name="fd"/> back to the ring.</summary>
    public void ReturnReceived(int fd)
    {
        if (!IsClaimed(fd)) return; // released meanwhile: the release returned it
        ref Claim c = ref _claims[fd];
        if (c.HeldCount == 0) return;
        long value = c.Held[c.HeldHead];
        c.HeldHead = (c.HeldHead + 1) % c.Held.Length;
        c.HeldCount--;
        ReleaseHeld(ref c, value);
    }

    /// <summary>
    /// The oldest connection accepted for claimed listener <paramref name="fd"/> (its new descriptor,
    /// non-blocking and close-on-exec, now the caller's), or the error an accept ended with. False
    /// when nothing is held.
    /// </summary>
    public bool TakeAccepted(int fd, out int accepted, out Errno error)
    {
        accepted = -1;
        error = Errno.Success;
        if (!IsClaimed(fd)) return false;
        ref Claim c = ref _claims[fd];
        if (c.HeldCount == 0) return false;
        long value = c.Held[c.HeldHead];
        c.HeldHead = (c.HeldHead + 1) % c.Held.Length;
        c.HeldCount--;
        if (value >= 0) accepted = (int)value;
        else error = new Errno((int)-value);
        // An accept that ended with an error is armed again once its results were taken.
        if (c.HeldCount == 0 && c.Wanted && !c.Armed) QueueArm(fd, ref c);
        return true;
    }

    /// <summary>
    /// Cancels every request still in the kernel and waits (bounded) for their last completions, so
    /// no receive can write into the buffers after they are freed; then frees the buffer ring.
    /// </summary>
    public void Dispose()
    {
        for (int fd = 0; fd < _claims.Length; fd++) Release(fd);
        for (int attempt = 0; _outstanding > 0 && attempt < 20; attempt++)
        {
            KernelTimespec timeout = new() { Nanoseconds = 50_000_000 };
            if (_ring.Enter(1, &timeout) < 0) break;
            while (_ring.HasCompletion)
            {
                ref IoUringCqe cqe = ref _ring.PeekCompletion();
                ulong data = cqe.UserData;
                int res = cqe.Res;
                uint flags = cqe.Flags;
                _ring.Advance();
                if ((data & (3UL << 62)) == CompletionKey.Kind) OnCompletion(data, res, flags);
            }
        }
        DeliverSends();
        FreeSendSpace();
        // A request the kernel never finished may still write into the buffers: keep them (leak) rather than free them under it.
        if (_outstanding == 0) _buffers?.Dispose();
        _buffers = null;
    }
}
