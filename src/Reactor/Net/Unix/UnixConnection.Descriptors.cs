using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Unix;

/// <summary>
/// Descriptor passing as the stream transport's I/O seam: receives are recvmsg collecting
/// SCM_RIGHTS; sends are plain while nothing is queued, and sendmsg with one byte per descriptor
/// while something is.
/// </summary>
internal sealed partial class UnixConnection
{
    /// <inheritdoc/>
    protected override unsafe nint ReceiveSome(Span<byte> buffer, out Errno errno)
    {
        var descriptors = stackalloc int[LibcDatagramSyscalls.MaxDescriptorsPerMessage];
        nint received;
        int count;
        bool truncated;
        fixed (byte* p = buffer)
        {
            received = _messages.ReceiveWithDescriptors(FileDescriptor, p, buffer.Length, descriptors,
                LibcDatagramSyscalls.MaxDescriptorsPerMessage, out count, out truncated, out errno);
        }
        if (count > 0 || truncated) DescriptorsReceived(new ReadOnlySpan<int>(descriptors, count), truncated);
        return received;
    }

    /// <inheritdoc/>
    protected override unsafe nint SendSome(ReadOnlySpan<byte> data, out Errno errno)
    {
        if (_descriptorsToSend.Count == 0 || data.IsEmpty) return base.SendSome(data, out errno);
        fixed (byte* p = data)
        {
            return SendWithDescriptors(p, data.Length, out errno);
        }
    }

    /// <inheritdoc/>
    protected override unsafe nint SendGathered(ReadOnlySpan<IoVec> vectors, out Errno errno)
    {
        if (_descriptorsToSend.Count == 0 || vectors.IsEmpty) return base.SendGathered(vectors, out errno);
        // Descriptors go out with the first segment's bytes; the short write brings the transport
        // back for the remaining segments.
        return SendWithDescriptors(vectors[0].Base, (nint)vectors[0].Length, out errno);
    }

    /// <summary>One byte per queued descriptor (sendmsg), then the rest in one send.</summary>
    private unsafe nint SendWithDescriptors(byte* buffer, nint length, out Errno errno)
    {
        nint sent = 0;
        while (sent < length && _descriptorsToSend.Count > 0)
        {
            var descriptor = _descriptorsToSend.Peek();
            var n = _messages.SendWithDescriptors(FileDescriptor, buffer + sent, 1, &descriptor, 1, out errno);
            if (n < 0) return sent > 0 ? Partial(sent, out errno) : n;
            _descriptorsToSend.Dequeue();
            Syscalls.Close(descriptor, out _); // our copy: the peer has its own now
            sent += n;
        }
        if (sent == length) return Partial(sent, out errno);
        var rest = base.SendSome(new ReadOnlySpan<byte>(buffer + sent, (int)(length - sent)), out errno);
        if (rest < 0) return Partial(sent, out errno);
        return sent + rest;
    }

    // A short write that stopped on an error: report the bytes sent; the error shows up again next time.
    private static nint Partial(nint sent, out Errno errno)
    {
        errno = Errno.Success;
        return sent;
    }

    /// <summary>
    /// Descriptors arrived (before the bytes they came with are handed to <c>DataReceived</c>): a
    /// receiving protocol gets each; otherwise they are closed, as Twisted does.
    /// </summary>
    private void DescriptorsReceived(ReadOnlySpan<int> descriptors, bool truncated)
    {
        if (truncated)
        {
            NetLog.TooManyDescriptorsReceived(Host.Logger, this);
        }
        if (Protocol is not IFileDescriptorReceiver receiver)
        {
            NetLog.DescriptorsRefusedByProtocol(Host.Logger, Protocol.GetType().FullName, this, descriptors.Length);
            foreach (var fd in descriptors) Syscalls.Close(fd, out _);
            return;
        }
        for (var i = 0; i < descriptors.Length; i++)
        {
            try
            {
                receiver.FileDescriptorReceived(descriptors[i]);
            }
            catch (Exception ex)
            {
                // The handler failed, so it did not take the descriptor: close it rather than leak it.
                LogUserError(ex, "FileDescriptorReceived");
                Syscalls.Close(descriptors[i], out _);
            }
        }
    }

    /// <summary>The connection is over: descriptors never sent are reported (Twisted's <c>FileDescriptorOverrun</c> case).</summary>
    private void ReportUnsentDescriptors()
    {
        if (_descriptorsToSend.Count == 0) return;
        NetLog.DescriptorsNotSent(Host.Logger, this, _descriptorsToSend.Count);
        while (_descriptorsToSend.TryDequeue(out var copy)) Syscalls.Close(copy, out _);
    }
}
