namespace Reactor;

public sealed partial class ReactorLoop
{
    /// <summary>
    /// Asks the loop to stop from any thread, once: nothing happens if it is already stopping or has
    /// stopped; a loop whose Run has not started yet stops at its first iteration (a group's shutdown).
    /// </summary>
    internal void StopSoon() => CallFromThread(() =>
    {
        if (_started && !_stopping) Stop();
    });
}
