namespace Reactor.Core;

/// <summary>The system events a reactor fires (Twisted's <c>"startup"</c> and <c>"shutdown"</c>).</summary>
public enum SystemEvent
{
    /// <summary>Fired when the reactor starts running.</summary>
    Startup,

    /// <summary>Fired when the reactor is stopped.</summary>
    Shutdown,
}

/// <summary>When, relative to a system event, a trigger runs (Twisted's <c>"before"</c>, <c>"during"</c>, <c>"after"</c>).</summary>
public enum TriggerPhase
{
    /// <summary>Before the event: a trigger returning a Deferred delays the later phases until it fires.</summary>
    Before,

    /// <summary>During the event.</summary>
    During,

    /// <summary>After the event.</summary>
    After,
}
