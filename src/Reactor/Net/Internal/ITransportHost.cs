using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Native;
using Reactor.Time;

namespace Reactor.Net.Internal;

/// <summary>
/// The reactor as a transport, port or connector sees it: the descriptor set, time, thread
/// hand-off, and the hot-path hooks (the shared read buffer and the end-of-iteration flush).
/// The reactor loop implements it; tests may too.
/// </summary>
internal interface ITransportHost : IReactorFDSet, IReactorTime, IReactorFromThreads
{
    /// <summary>The kernel seam every socket call goes through.</summary>
    ISyscalls Syscalls { get; }

    /// <summary>
    /// The one read buffer every connection of this reactor receives into. The loop is
    /// single-threaded, so it is never in use by two reads at once; its address is stable.
    /// </summary>
    byte[] ReadBuffer { get; }

    /// <summary>Where transports log user-code exceptions and resource exhaustion.</summary>
    ILogger Logger { get; }

    /// <summary>
    /// Asks for <paramref name="target"/>'s <see cref="IFlushable.FlushPending"/> at the end of this
    /// loop iteration (at most one request per iteration: the caller keeps its own flag).
    /// </summary>
    void RequestFlush(IFlushable target);

    /// <summary>
    /// Stops watching <paramref name="descriptor"/> for reading and writing because its owner closes
    /// it right after. Unlike RemoveReader + RemoveWriter this may skip the selector's system call
    /// (epoll and kqueue drop a closed descriptor by themselves): one syscall less per connection.
    /// </summary>
    void RemoveBeforeClose(IFileDescriptor descriptor)
    {
        if (descriptor is IReadDescriptor reader) RemoveReader(reader);
        if (descriptor is IWriteDescriptor writer) RemoveWriter(writer);
    }

    /// <summary>
    /// A connection started on this host: the host keeps it known until <see cref="ConnectionEnded"/>,
    /// also while no selector registration holds it (a transport its protocol paused), so that
    /// shutdown and Dispose still close it and tell its protocol (issue 12).
    /// </summary>
    void ConnectionStarted(IFileDescriptor connection)
    {
    }

    /// <summary>The connection's ConnectionLost has run: the host forgets it.</summary>
    void ConnectionEnded(IFileDescriptor connection)
    {
    }

    /// <summary>
    /// The resolver that connectors use for host names, or null to call the system resolver
    /// directly (hosts without a pluggable resolver, such as test doubles).
    /// </summary>
    Resolution.IHostnameResolver? NameResolver => null;

    /// <summary>Where connections count themselves for metrics (nowhere, for hosts that are not reactors).</summary>
    NetInstruments Instruments => NetInstruments.Unobserved;
    /// <summary>The limits new transports start with (water marks, TLS handshake and close timeouts).</summary>
    TransportLimits Limits => TransportLimits.Default;

    /// <summary>The readiness event being dispatched to the caller (events and carried errno); default outside a dispatch.</summary>
    Selectors.SelectorEvent CurrentReadiness => default;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming CallFromThread when called off a running reactor's thread.</summary>
    void CheckReactorThread(string member)
    {
    }
}
