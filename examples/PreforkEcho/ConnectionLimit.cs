using Reactor.Protocols;

namespace Reactor.Examples.PreforkEcho;

/// <summary>
/// A worker's cap on the connections it holds (nginx's <c>worker_connections</c>): at the cap the worker
/// pauses its listening port, a push producer as in Twisted, so the kernel hands the next clients to the
/// other workers; below it again, the port resumes. A cap of 0 means no limit.
/// </summary>
sealed class ConnectionLimit(int max)
{
    private int _open;

    /// <summary>The worker's adopted listening port.</summary>
    public IPushProducer? Port { get; set; }

    public void Opened()
    {
        if (++_open == max) Port?.PauseProducing();
    }

    public void Closed()
    {
        if (_open-- == max) Port?.ResumeProducing();
    }
}
