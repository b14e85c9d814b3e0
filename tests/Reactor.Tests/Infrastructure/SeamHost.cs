using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Core.Internal;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Time;

namespace Reactor.Tests.Infrastructure;

/// <summary>A reactor in every respect but the syscall seam: transports built on it use <paramref name="syscalls"/>.</summary>
internal class SeamHost(ITransportHost reactor, ISyscalls syscalls) : ITransportHost
{
    public ISyscalls Syscalls => syscalls;
    public byte[] ReadBuffer => reactor.ReadBuffer;
    public ILogger Logger => reactor.Logger;
    public void RequestFlush(IFlushable target) => reactor.RequestFlush(target);
    public void RemoveBeforeClose(IFileDescriptor descriptor) => reactor.RemoveBeforeClose(descriptor);
    public TimeSpan Now => reactor.Now;
    public IDelayedCall CallLater(TimeSpan delay, Action action) => reactor.CallLater(delay, action);
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => reactor.GetDelayedCalls();
    public void CallFromThread(Action action) => reactor.CallFromThread(action);
    public void AddReader(IReadDescriptor reader) => reactor.AddReader(reader);
    public void AddWriter(IWriteDescriptor writer) => reactor.AddWriter(writer);
    public void RemoveReader(IReadDescriptor reader) => reactor.RemoveReader(reader);
    public void RemoveWriter(IWriteDescriptor writer) => reactor.RemoveWriter(writer);
    public IReadOnlyList<IFileDescriptor> RemoveAll() => reactor.RemoveAll();
    public IReadOnlyList<IReadDescriptor> GetReaders() => reactor.GetReaders();
    public IReadOnlyList<IWriteDescriptor> GetWriters() => reactor.GetWriters();
}
