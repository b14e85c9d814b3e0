using System.Runtime.ExceptionServices;

namespace Reactor;

/// <summary>
/// The <see cref="System.Threading.SynchronizationContext"/> a <see cref="ReactorLoop"/> installs on
/// its thread while it runs, so an <c>await</c> started on the loop resumes on the loop.
/// </summary>
/// <remarks>
/// <see cref="Post"/> hands the callback over with <see cref="ReactorLoop.CallFromThread(Action)"/>
/// (FIFO, runs at the next iteration). <see cref="Send"/> runs the callback at once on the loop
/// thread; from another thread it queues it and blocks until the loop has run it, rethrowing what
/// it threw (so never Send from another thread to a loop that is not running). After the reactor
/// is disposed, <see cref="Post"/> drops the callback (logged once, never thrown: it usually runs on a
/// thread-pool thread, where an exception would end the process) and <see cref="Send"/> from another
/// thread throws <see cref="ObjectDisposedException"/> instead of waiting forever.
/// </remarks>
public sealed class ReactorSynchronizationContext : SynchronizationContext
{
    private readonly ReactorLoop _reactor;

    internal ReactorSynchronizationContext(ReactorLoop reactor) => _reactor = reactor;

    /// <summary>The reactor this context hands work to.</summary>
    public ReactorLoop Reactor => _reactor;

    /// <inheritdoc/>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        _reactor.CallFromThread(d, state);
    }

    /// <inheritdoc/>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (_reactor.IsInReactorThread)
        {
            d(state);
            return;
        }
        using var done = new ManualResetEventSlim();
        ExceptionDispatchInfo? error = null;
        var queued = _reactor.CallFromThread(_ =>
        {
            try
            {
                d(state);
            }
            catch (Exception ex)
            {
                error = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                done.Set();
            }
        }, null);
        // A disposed reactor will never run it: waiting would block this thread forever.
        if (!queued) throw new ObjectDisposedException(nameof(ReactorLoop), "The reactor was disposed; the call was not run.");
        done.Wait();
        error?.Throw();
    }

    /// <inheritdoc/>
    /// <remarks>The reactor is the context: a copy is the same object.</remarks>
    public override SynchronizationContext CreateCopy() => this;
}
