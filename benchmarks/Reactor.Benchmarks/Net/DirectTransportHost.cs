using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Time;

namespace Reactor.Benchmarks.Net;

/// <summary>
/// A transport host with no loop around it: registrations are ignored and the one flush request
/// is kept for the benchmark to run, so the write path is measured without selector waits.
/// </summary>
internal sealed class DirectTransportHost : ITransportHost
{
    private readonly Clock _clock = new();

    public IFlushable? Requested;

    public ISyscalls Syscalls => LibcSyscalls.Instance;

    public byte[] ReadBuffer { get; } = GC.AllocateUninitializedArray<byte>(64 * 1024, pinned: true);

    public ILogger Logger => NullLogger.Instance;

    public TimeSpan Now => _clock.Now;

    public void RequestFlush(IFlushable target) => Requested = target;

    /// <summary>Runs the flush the transport asked for, as the loop does at the end of an iteration.</summary>
    public void RunFlush()
    {
        var target = Requested;
        Requested = null;
        target?.FlushPending();
    }

    public void AddReader(IReadDescriptor reader) { }

    public void AddWriter(IWriteDescriptor writer) { }

    public void RemoveReader(IReadDescriptor reader) { }

    public void RemoveWriter(IWriteDescriptor writer) { }

    public IReadOnlyList<IFileDescriptor> RemoveAll() => [];

    public IReadOnlyList<IReadDescriptor> GetReaders() => [];

    public IReadOnlyList<IWriteDescriptor> GetWriters() => [];

    public IDelayedCall CallLater(TimeSpan delay, Action action) => _clock.CallLater(delay, action);

    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _clock.GetDelayedCalls();

    public void CallFromThread(Action action) => action();
}
