using Reactor.Time.Internal;

namespace Reactor.Time;

/// <summary>
/// A call scheduled with <c>CallLater&lt;TState&gt;(delay, callback, state)</c>. The reactor recycles
/// the call's storage once it has run or been cancelled, so scheduling allocates nothing in steady
/// state; the handle carries a generation number and stops referring to the call from that moment
/// on (it never touches the recycled storage's next use).
/// </summary>
/// <remarks>
/// Unlike <see cref="IDelayedCall.Cancel"/>, <see cref="TryCancel"/> does not throw for a call that
/// already ran or was cancelled: once recycled, the handle cannot tell which of the two happened.
/// The default value refers to no call.
/// </remarks>
public readonly struct TimerHandle : IEquatable<TimerHandle>
{
    // Either a TimerEntry of this library (pooled or not) or an IDelayedCall of another
    // IReactorTime implementation that does not pool.
    private readonly object? _target;
    private readonly int _generation;

    internal TimerHandle(TimerEntry entry, int generation)
    {
        _target = entry;
        _generation = generation;
    }

    /// <summary>Wraps a non-pooled call, for <see cref="IReactorTime"/> implementations without a pool.</summary>
    public TimerHandle(IDelayedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        _target = call;
    }

    /// <summary>True while the call has neither run nor been cancelled.</summary>
    public bool Active => _target switch
    {
        TimerEntry => LiveEntry is not null,
        IDelayedCall call => call.Active,
        _ => false,
    };

    /// <summary>The reactor time at which the call is due.</summary>
    /// <exception cref="InvalidOperationException">The call has already run or been cancelled.</exception>
    public TimeSpan GetTime() => _target switch
    {
        TimerEntry => TimeSpan.FromTicks((LiveEntry ?? throw Gone()).DueTicks),
        IDelayedCall call when call.Active => call.GetTime(),
        _ => throw Gone(),
    };

    /// <summary>Cancels the call if it is still pending.</summary>
    /// <returns>True if this cancelled the call; false if it had already run or been cancelled.</returns>
    public bool TryCancel()
    {
        switch (_target)
        {
            case TimerEntry:
                var entry = LiveEntry;
                if (entry is null) return false;
                entry.Queue!.Cancel(entry);
                return true;
            case IDelayedCall call when call.Active:
                call.Cancel();
                return true;
            default:
                return false;
        }
    }

    /// <summary>The entry, if this handle still owns a pending use of it.</summary>
    internal TimerEntry? LiveEntry =>
        _target is TimerEntry e && e.Generation == _generation && e.State == TimerState.Pending && e.Queue is not null
            ? e
            : null;

    private static InvalidOperationException Gone() =>
        new("The call has already run or been cancelled.");

    /// <inheritdoc/>
    public bool Equals(TimerHandle other) => ReferenceEquals(_target, other._target) && _generation == other._generation;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TimerHandle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_target, _generation);

    /// <summary>Whether two handles refer to the same use of the same call.</summary>
    public static bool operator ==(TimerHandle left, TimerHandle right) => left.Equals(right);

    /// <summary>Whether two handles refer to different calls or uses.</summary>
    public static bool operator !=(TimerHandle left, TimerHandle right) => !left.Equals(right);
}
