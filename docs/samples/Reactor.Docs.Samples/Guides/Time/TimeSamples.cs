using Reactor.Defer;
using Reactor.Time;

namespace Reactor.Docs.Samples.Guides.Time;

#region session
/// <summary>A session that expires after a period without activity; each touch pushes the expiry back.</summary>
public sealed class Session
{
    private readonly IDelayedCall _expiry;

    /// <summary>Starts the session on <paramref name="clock"/> (the reactor, or a <see cref="Clock"/> in tests).</summary>
    public Session(IReactorTime clock, TimeSpan idle)
    {
        Idle = idle;
        _expiry = clock.CallLater(idle, () => Expired = true);
    }

    /// <summary>How long the session lives without a touch.</summary>
    public TimeSpan Idle { get; }

    /// <summary>True once the session has expired.</summary>
    public bool Expired { get; private set; }

    /// <summary>Activity: the session now expires <see cref="Idle"/> from now.</summary>
    public void Touch()
    {
        if (_expiry.Active) _expiry.Reset(Idle);
    }

    /// <summary>Ends the session early; its timer will not run.</summary>
    public void Close()
    {
        if (_expiry.Active) _expiry.Cancel();
    }
}
#endregion

#region looping
/// <summary>Counts down once a second with a <see cref="LoopingCall"/>, then stops itself.</summary>
public sealed class Countdown(IReactorTime clock, int from)
{
    private LoopingCall? _loop;

    /// <summary>The numbers said so far.</summary>
    public List<int> Said { get; } = [];

    /// <summary>Starts counting; the Deferred fires when the loop stops.</summary>
    public Deferred<LoopingCall> Start()
    {
        var next = from;
        _loop = new LoopingCall(clock, () =>
        {
            Said.Add(next);
            if (next-- == 0) _loop!.Stop(); // the Deferred returned by Start fires now
        });
        return _loop.Start(TimeSpan.FromSeconds(1), now: true); // now: the first call runs at once
    }
}
#endregion
