using System.Runtime.InteropServices;
using Reactor.Native;
using static Reactor.Native.IoUringAbi;
using Operation = Reactor.Selectors.IoUring.CompletionKey.Operation;

namespace Reactor.Selectors.IoUring;

internal sealed unsafe partial class CompletionStreams
{
    /// <summary>The most vectors one gathered send carries.</summary>
    public const int MaxSendVectors = 64;

    // Per descriptor number: a native msghdr + iovec array the kernel reads when the SENDMSG is
    // submitted (the next enter), reused by every send on that number; freed with the ring.
    private nint[] _sendSpace = new nint[64];
    private int[] _sentFd = new int[16];
    private int[] _sentResult = new int[16];
    private int _sentCount;

    /// <summary>
    /// Submits one send of <paramref name="vectors"/> on <paramref name="fd"/> (SEND for one vector,
    /// SENDMSG for several; MSG_NOSIGNAL). The memory the vectors point at must stay valid until
    /// <see cref="ICompletionReceiver.Sent"/> reports it. One send in flight per descriptor: TCP
    /// bytes from two in-flight sends could be reordered.
    /// </summary>
    public void SubmitSend(int fd, ReadOnlySpan<IoVec> vectors)
    {
        if (vectors.IsEmpty || vectors.Length > MaxSendVectors) throw new ArgumentOutOfRangeException(nameof(vectors), vectors.Length, $"1 to {MaxSendVectors} vectors.");
        var sqe = _ring.NextSqe();
        sqe->Fd = fd;
        sqe->OpFlags = MsgNoSignal;
        sqe->UserData = CompletionKey.Make(fd, 0, Operation.Send);
        if (vectors.Length == 1)
        {
            sqe->Opcode = OpSend;
            sqe->Addr = (ulong)vectors[0].Base;
            sqe->Len = (uint)vectors[0].Length;
        }
        else
        {
            var header = SendSpace(fd);
            var iov = (IoVec*)(header + 1);
            vectors.CopyTo(new Span<IoVec>(iov, MaxSendVectors));
            *header = default;
            header->Iov = iov;
            header->IovLength = (nuint)vectors.Length;
            sqe->Opcode = OpSendMsg;
            sqe->Addr = (ulong)header;
            sqe->Len = 1;
        }
        _outstanding++;
    }

    /// <summary>Asks the kernel to cancel the send in flight on <paramref name="fd"/> (its report still comes: ECANCELED, or what it sent).</summary>
    public void CancelSend(int fd)
    {
        var sqe = _ring.NextSqe();
        sqe->Opcode = OpAsyncCancel;
        sqe->Fd = -1;
        sqe->Addr = CompletionKey.Make(fd, 0, Operation.Send);
        sqe->UserData = IgnoredCompletion;
    }

    private MsgHdr* SendSpace(int fd)
    {
        DescriptorArrays.EnsureIndex(ref _sendSpace, fd);
        if (_sendSpace[fd] == 0) _sendSpace[fd] = (nint)NativeMemory.Alloc((nuint)(sizeof(MsgHdr) + MaxSendVectors * sizeof(IoVec)));
        return (MsgHdr*)_sendSpace[fd];
    }

    /// <summary>A send's completion, kept until the wait has read every completion (then <see cref="DeliverSends"/>).</summary>
    private void SendFinished(int fd, int result)
    {
        if (_sentCount == _sentFd.Length)
        {
            Array.Resize(ref _sentFd, _sentFd.Length * 2);
            Array.Resize(ref _sentResult, _sentResult.Length * 2);
        }
        _sentFd[_sentCount] = fd;
        _sentResult[_sentCount++] = result;
    }

    private void DeliverSends()
    {
        // Indexed, not enumerated: a delivery may submit the next send, whose completion comes in a later wait.
        int count = _sentCount;
        _sentCount = 0;
        for (int i = 0; i < count; i++) Receiver?.Sent(_sentFd[i], _sentResult[i]);
    }

    private void FreeSendSpace()
    {
        // Only once nothing is outstanding: a SENDMSG not yet submitted would read freed memory.
        if (_outstanding != 0) return;
        for (int i = 0; i < _sendSpace.Length; i++)
        {
            if (_sendSpace[i] == 0) continue;
            NativeMemory.Free((void*)_sendSpace[i]);
            _sendSpace[i] = 0;
        }
    }
}
