namespace Reactor.Net.Tls.Internal;

/// <summary>
/// Clears the thread's <see cref="SynchronizationContext"/> for the duration of a call into
/// <see cref="System.Net.Security.SslStream"/>. A task completed while a non-default context is
/// current never runs its continuations inline (the runtime's rule for inlining), so a loop that
/// installs a context would push SslStream's internal continuations — and the TLS layer's — to
/// other threads. With the context cleared they run inline, on the reactor thread.
/// </summary>
internal readonly ref struct LoopContextScope
{
    private readonly SynchronizationContext? _saved;

    private LoopContextScope(SynchronizationContext saved)
    {
        _saved = saved;
        SynchronizationContext.SetSynchronizationContext(null);
    }

    /// <summary>Clears the current context until <see cref="Dispose"/>; free when there is none.</summary>
    public static LoopContextScope Enter()
    {
        var current = SynchronizationContext.Current;
        return current is null ? default : new LoopContextScope(current);
    }

    /// <summary>Restores the context that was current.</summary>
    public void Dispose()
    {
        if (_saved is not null) SynchronizationContext.SetSynchronizationContext(_saved);
    }
}
