using Reactor.Core.Internal;
using Reactor.Errors;

namespace Reactor;

public sealed partial class ReactorLoop
{
    private int _selectorFailures;

    /// <summary>True once the selector failed too often in a row: Run lets the error out.</summary>
    private bool SelectorGaveUp => _selectorFailures >= Options.MaxConsecutiveSelectorFailures;

    /// <summary>How many times in a row the selector's wait has failed (0 after a good wait).</summary>
    internal int ConsecutiveSelectorFailures => _selectorFailures;

    /// <summary>
    /// The selector's wait threw (EINTR never does). A persistent failure must not spin the loop:
    /// log it, back off (1 ms doubling to 1 s, so an unrelated hiccup costs nothing), and after
    /// <see cref="Core.ReactorOptions.MaxConsecutiveSelectorFailures"/> in a row stop with a clear error.
    /// </summary>
    /// <exception cref="ReactorStateError">Too many failures in a row; the loop cannot go on.</exception>
    private void SelectorFailed(Exception ex)
    {
        _selectorFailures++;
        if (_selectorFailures >= Options.MaxConsecutiveSelectorFailures)
        {
            _started = false;
            throw new ReactorStateError(
                $"The {SelectorKind} selector failed {_selectorFailures} times in a row; stopping the reactor. Last error: {ex.GetType().Name}: {ex.Message}");
        }
        CoreLog.MainLoopFailed(Logger, ex);
        Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(1000, 1 << Math.Min(_selectorFailures - 1, 10))));
    }
}
