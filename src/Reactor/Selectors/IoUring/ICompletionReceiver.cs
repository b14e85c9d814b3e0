namespace Reactor.Selectors.IoUring;

/// <summary>
/// Who is told about completions that are not selector reports: the results of descriptors claimed
/// with <see cref="CompletionStreams.ClaimDelivered"/> and every send submitted with
/// <see cref="CompletionStreams.SubmitSend"/>. Called on the reactor thread at the end of the
/// selector's wait, after every completion of that wait was read; the callee may claim, release,
/// pause, submit and close freely, and must not let exceptions out.
/// </summary>
internal interface ICompletionReceiver
{
    /// <summary>Results are held for claimed <paramref name="fd"/>: take them (<see cref="CompletionStreams.TakeReceived"/>).</summary>
    void Received(int fd);

    /// <summary>The send submitted on <paramref name="fd"/> finished: bytes taken, or -errno (ECANCELED after a cancel).</summary>
    void Sent(int fd, int result);
}
