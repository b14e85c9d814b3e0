using System.Security.Cryptography;
using Reactor.Core.Threading;
using Reactor.Defer;

namespace Reactor.Docs.Samples.Guides.Threads;

/// <summary>The threads guide's samples.</summary>
public static class ThreadSamples
{
    #region defer
    /// <summary>
    /// Hashes on a worker thread of the reactor's pool; the Deferred fires on the reactor thread,
    /// where the result may touch protocols and transports.
    /// </summary>
    public static Deferred<string> HashInThread(ReactorLoop reactor, byte[] data) =>
        Reactor.Core.Threading.Threads.DeferToThread(reactor, () => Convert.ToHexString(SHA256.HashData(data)));
    #endregion

    #region from-thread
    /// <summary>A thread the program owns hands each result to the reactor with CallFromThread.</summary>
    public static Thread StartProducerThread(ReactorLoop reactor, int count, Action<int> onReactorThread)
    {
        var thread = new Thread(() =>
        {
            for (var i = 1; i <= count; i++)
            {
                var value = i;                                      // captured per call
                reactor.CallFromThread(() => onReactorThread(value)); // safe from any thread
            }
        }) { IsBackground = true };
        thread.Start();
        return thread;
    }
    #endregion

    #region blocking
    /// <summary>A worker thread asks the reactor for a value and waits for it (never call this on the reactor thread).</summary>
    public static TimeSpan ReadReactorTimeFromWorker(ReactorLoop reactor) =>
        Reactor.Core.Threading.Threads.BlockingCallFromThread(reactor, () => reactor.Now);
    #endregion
}
