using Reactor.Native;
using Reactor.Net.Internal;

namespace Reactor.Net.Stream;

/// <summary>
/// The push side of the I/O seam: a completion driver (<see cref="IStreamCompletionDriver"/>) reports
/// here what the kernel did, and the transport carries on exactly as after its own recv/send.
/// </summary>
internal abstract partial class StreamTransport
{
    // Null: the readiness path (selector interest, ReceiveSome/SendSome/SendGathered).
    private readonly IStreamCompletionDriver? _driver;

    // A submitted send the driver has not reported: the output's head segments are the kernel's.
    private bool _sendInFlight;

    // The output was dropped (abort, close) while a send was in flight: release it when the send reports.
    private bool _dropOutputAfterSend;

    /// <summary>True when a completion driver moves this connection's bytes.</summary>
    internal bool DrivenByCompletion => _driver is not null;

    /// <summary>Completion driver: a receive completed with <paramref name="data"/> (empty: the peer's FIN).</summary>
    internal void ReceiveCompleted(ReadOnlySpan<byte> data)
    {
        // As a readiness report that raced with a pause or a close: not this transport's data any more.
        if (!_reading || _disconnecting || _aborting) return;
        var reason = CompleteReceive(data);
        if (reason is not null) Disconnect(reason);
    }

    /// <summary>Completion driver: a receive failed with <paramref name="errno"/>.</summary>
    internal void ReceiveFailed(Errno errno)
    {
        if (_lost) return;
        var reason = CompleteReceiveError(errno);
        if (reason is not null) Disconnect(reason);
    }

    /// <summary>Completion driver: the kernel took <paramref name="sent"/> bytes of the submitted send.</summary>
    internal void SendCompleted(nint sent)
    {
        if (EndSend()) return;
        _output.Consume(sent);
        CountSent(sent);
        if (_lost) return;
        var reason = _pendingLoss ?? SendPending();
        if (reason is not null) Disconnect(reason);
    }

    /// <summary>Completion driver: the submitted send failed with <paramref name="errno"/> (nothing was sent).</summary>
    internal void SendFailed(Errno errno)
    {
        if (EndSend() || _lost) return;
        var reason = errno.IsWouldBlock || errno == Errno.EINTR
            ? _pendingLoss ?? SendPending()
            : ConnectionErrorMapping.ForEstablished(errno);
        if (reason is not null) Disconnect(reason);
    }

    /// <summary>The in-flight send reported; true when the output it used was already dropped (and is released now).</summary>
    private bool EndSend()
    {
        _sendInFlight = false;
        if (!_dropOutputAfterSend) return false;
        _dropOutputAfterSend = false;
        _output.Clear();
        return true;
    }

    /// <summary>Submits the head of the output unless a send is already in flight.</summary>
    private unsafe void SubmitSend(IStreamCompletionDriver driver)
    {
        if (_sendInFlight || _output.IsEmpty) return;
        var vectors = stackalloc IoVec[OutputBuffer.MaxGather];
        var count = _output.Gather(new Span<IoVec>(vectors, OutputBuffer.MaxGather));
        _sendInFlight = true;
        driver.SubmitSend(this, _fd, new ReadOnlySpan<IoVec>(vectors, count));
    }

    /// <summary>
    /// Drops pending output (abort, close). Segments an in-flight send points at are the kernel's
    /// until that send reports: recycled now, another connection's bytes could go out on this socket.
    /// </summary>
    private void DropOutput()
    {
        if (_sendInFlight) _dropOutputAfterSend = true;
        else _output.Clear();
    }
}
