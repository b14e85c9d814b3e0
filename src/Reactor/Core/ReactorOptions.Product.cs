namespace Reactor.Core;

public sealed partial class ReactorOptions
{
    /// <summary>
    /// Whether <see cref="ReactorLoop.Run"/> handles SIGINT and SIGTERM (Ctrl-C, <c>kill</c>) while it
    /// runs by stopping the reactor gracefully — shutdown triggers run, descriptors are disconnected —
    /// as Twisted's <c>reactor.run()</c> does.
    /// </summary>
    /// <remarks>
    /// Null (the default) installs the handlers when <see cref="ReactorLoop.Run"/> is called on the
    /// process's main thread, the place a program's one reactor runs, and not on other threads
    /// (a test runner's, or a second reactor's). True installs them on any thread; false never
    /// (the process keeps the runtime's default reaction, or handles signals itself).
    /// </remarks>
    public bool? InstallSignalHandlers { get; set; }
}
