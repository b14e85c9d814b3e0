using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Core;

/// <summary>Helpers for loop tests: bounded runs, socket pairs, a scriptable descriptor.</summary>
internal static unsafe class LoopTestKit
{
    /// <summary>The generous deadline for anything that waits on the loop (the machine is shared).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Iterates the reactor until <paramref name="condition"/> holds; fails after <see cref="Deadline"/>.</summary>
    public static void IterateUntil(ReactorLoop reactor, Func<bool> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail("condition not met before the deadline");
            reactor.Iterate(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Runs the reactor; a guard timer stops it after <see cref="Deadline"/>. Returns whether the guard had to fire.</summary>
    public static bool RunWithGuard(ReactorLoop reactor)
    {
        bool guardFired = false;
        var guard = reactor.CallLater(Deadline, () => { guardFired = true; reactor.Stop(); });
        reactor.Run();
        if (guard.Active) guard.Cancel();
        return guardFired;
    }

    public static (int A, int B) SocketPair(List<int> toClose)
    {
        if (LibcSyscalls.Instance.CreateSocketPair(NativeConstants.SOCK_STREAM, out int a, out int b, out Errno errno) < 0)
            throw errno.ToIOException("socketpair");
        LibcSyscalls.Instance.SetNonBlocking(a, true, out _);
        LibcSyscalls.Instance.SetNonBlocking(b, true, out _);
        toClose.Add(a);
        toClose.Add(b);
        return (a, b);
    }

    public static void CloseAll(List<int> fds)
    {
        foreach (int fd in fds) LibcSyscalls.Instance.Close(fd, out _);
        fds.Clear();
    }

    public static void Close(List<int> fds, int fd)
    {
        if (fds.Remove(fd)) LibcSyscalls.Instance.Close(fd, out _);
    }

    public static void Send(int fd, int count = 1)
    {
        byte* data = stackalloc byte[count];
        if (LibcSyscalls.Instance.Write(fd, data, count, out Errno errno) != count) throw errno.ToIOException("write");
    }

    /// <summary>Reads what is pending: the byte count, 0 at end of file, -1 if nothing is there yet.</summary>
    public static int Receive(int fd)
    {
        byte* buffer = stackalloc byte[256];
        nint n = LibcSyscalls.Instance.Read(fd, buffer, 256, out Errno errno);
        if (n >= 0) return (int)n;
        if (errno.IsWouldBlock) return -1;
        throw errno.ToIOException("read");
    }

    public static int OpenDescriptorCount() => Directory.GetFiles("/proc/self/fd").Length;

    public static IEnumerable<SelectorKind> Backends() => SelectorFactory.Available;
}

/// <summary>A descriptor whose DoRead / DoWrite are given by the test; it records what the reactor tells it.</summary>
internal sealed class ScriptedDescriptor(int fd) : IReadDescriptor, IWriteDescriptor
{
    public int FileDescriptor { get; set; } = fd;

    public Func<Exception?> OnRead { get; set; } = () => null;

    public Func<Exception?> OnWrite { get; set; } = () => null;

    public int Reads { get; private set; }

    public int Writes { get; private set; }

    public List<Failure> Lost { get; } = new();

    public Exception? DoRead()
    {
        Reads++;
        return OnRead();
    }

    public Exception? DoWrite()
    {
        Writes++;
        return OnWrite();
    }

    public void ConnectionLost(Failure reason) => Lost.Add(reason);
}

/// <summary>A selector wrapper that counts Wake calls and records the timeouts the loop waits with.</summary>
internal sealed class CountingSelector(ISelector inner) : ISelector
{
    private readonly List<TimeSpan?> _timeouts = new();
    private int _wakes;

    public int Wakes => Volatile.Read(ref _wakes);

    /// <summary>The timeout of every Wait so far (null = no limit).</summary>
    public List<TimeSpan?> Timeouts
    {
        get { lock (_timeouts) return _timeouts.ToList(); }
    }

    public static ReactorLoop CreateReactor(out CountingSelector selector, SelectorKind? kind = null)
    {
        CountingSelector? made = null;
        var reactor = ReactorLoop.Create(new ReactorOptions
        {
            SelectorFactory = () => made = new CountingSelector(SelectorFactory.Create(kind)),
        });
        selector = made!;
        return reactor;
    }

    public SelectorKind Kind => inner.Kind;

    public void Register(int fd, Interest interest, long token) => inner.Register(fd, interest, token);

    public void Modify(int fd, Interest interest, long token) => inner.Modify(fd, interest, token);

    /// <summary>Descriptors given to Unregister, in order.</summary>
    public List<int> Unregistered { get; } = new();

    /// <summary>Descriptors given to UnregisterBeforeClose, in order.</summary>
    public List<int> UnregisteredBeforeClose { get; } = new();

    public void Unregister(int fd)
    {
        Unregistered.Add(fd);
        inner.Unregister(fd);
    }

    public void UnregisterBeforeClose(int fd)
    {
        UnregisteredBeforeClose.Add(fd);
        inner.UnregisterBeforeClose(fd);
    }

    public int Wait(Span<SelectorEvent> events, TimeSpan? timeout)
    {
        lock (_timeouts) _timeouts.Add(timeout);
        return inner.Wait(events, timeout);
    }

    public void Wake()
    {
        Interlocked.Increment(ref _wakes);
        inner.Wake();
    }

    /// <summary>Wakes the inner selector without counting: a test's escape hatch when the loop failed to wake.</summary>
    public void ForceWake() => inner.Wake();

    public void Dispose() => inner.Dispose();
}
