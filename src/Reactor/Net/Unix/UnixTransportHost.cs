using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Time;

namespace Reactor.Net.Unix;

/// <summary>
/// The reactor as its UNIX stream connections see it: the reactor itself in every respect but
/// the kernel seam, which is <see cref="DescriptorPassingSyscalls"/>. One per reactor.
/// </summary>
internal sealed class UnixTransportHost(ITransportHost reactor) : ITransportHost
{
    /// <summary>The seam with descriptor passing.</summary>
    public DescriptorPassingSyscalls Descriptors { get; } = new(reactor.Syscalls, LibcDatagramSyscalls.Instance);

    /// <summary>The reactor behind this view.</summary>
    public ITransportHost Reactor => reactor;

    /// <inheritdoc/>
    public ISyscalls Syscalls => Descriptors;

    /// <inheritdoc/>
    public byte[] ReadBuffer => reactor.ReadBuffer;

    /// <inheritdoc/>
    public NetInstruments Instruments => reactor.Instruments;

    /// <inheritdoc/>
    public ILogger Logger => reactor.Logger;

    /// <inheritdoc/>
    public TransportLimits Limits => reactor.Limits;

    /// <inheritdoc/>
    public void RequestFlush(IFlushable target) => reactor.RequestFlush(target);

    public Selectors.SelectorEvent CurrentReadiness => reactor.CurrentReadiness;

    public void CheckReactorThread(string member) => reactor.CheckReactorThread(member);

    /// <inheritdoc/>
    public void RemoveBeforeClose(IFileDescriptor descriptor) => reactor.RemoveBeforeClose(descriptor);

    /// <inheritdoc/>
    public TimeSpan Now => reactor.Now;

    /// <inheritdoc/>
    public IDelayedCall CallLater(TimeSpan delay, Action action) => reactor.CallLater(delay, action);

    /// <inheritdoc/>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => reactor.GetDelayedCalls();

    /// <inheritdoc/>
    public void CallFromThread(Action action) => reactor.CallFromThread(action);

    /// <inheritdoc/>
    public void AddReader(IReadDescriptor reader) => reactor.AddReader(reader);

    /// <inheritdoc/>
    public void AddWriter(IWriteDescriptor writer) => reactor.AddWriter(writer);

    /// <inheritdoc/>
    public void RemoveReader(IReadDescriptor reader) => reactor.RemoveReader(reader);

    /// <inheritdoc/>
    public void RemoveWriter(IWriteDescriptor writer) => reactor.RemoveWriter(writer);

    /// <inheritdoc/>
    public IReadOnlyList<IFileDescriptor> RemoveAll() => reactor.RemoveAll();

    /// <inheritdoc/>
    public IReadOnlyList<IReadDescriptor> GetReaders() => reactor.GetReaders();

    /// <inheritdoc/>
    public IReadOnlyList<IWriteDescriptor> GetWriters() => reactor.GetWriters();
}
