using System.Runtime.ExceptionServices;

namespace Reactor.Core;

/// <summary>
/// The <see cref="System.Threading.SynchronizationContext"/> a <see cref="ReactorLoop"/> installs on
/// its thread while it runs, so an <c>await</c> started on the loop resumes on the loop.
/// </summary>
/// <remarks>
/// <see cref="Post"/> hands the callback over with <see cref="ReactorLoop.CallFromThread(Action)"/>
/// (FIFO, runs at the next iteration). <see cref="Send"/> runs the callback at once on the loop
/// thread; from another thread it queues it and blocks until the loop has run it, rethrowing what
/// it threw (so never Send from another thread to a loop that is not running).
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
        _reactor.CallFromThread(() =>
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
        });
        done.Wait();
        error?.Throw();
    }

    /// <inheritdoc/>
    /// <remarks>The reactor is the context: a copy is the same object.</remarks>
    public override SynchronizationContext CreateCopy() => this;
}
