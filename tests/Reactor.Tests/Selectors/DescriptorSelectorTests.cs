using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The Python-selectors-style API with real loopback sockets, on every available backend
/// (the flow of Python's own selectors example: accept, read, echo).
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class DescriptorSelectorTests(SelectorKind kind)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly List<Socket> _sockets = [];
    private DescriptorSelector _selector = null!;

    [SetUp]
    public void SetUp() => _selector = new DescriptorSelector(kind);

    [TearDown]
    public void TearDown()
    {
        _selector.Dispose();
        foreach (Socket socket in _sockets) socket.Dispose();
    }

    [Test]
    public void AcceptsReadsAndEchoesThroughKeysAndData()
    {
        Socket listener = Listen();
        SelectorKey listenerKey = _selector.Register(listener, Interest.Read, "listener");
        Assert.That(listenerKey.Socket, Is.SameAs(listener));
        Assert.That(listenerKey.Fd, Is.EqualTo((int)listener.Handle));

        Socket client = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        client.Connect(listener.LocalEndPoint!);
        Assert.That(SelectUntil(k => Equals(k.Key.Data, "listener")).Events & SelectorEvents.Readable, Is.EqualTo(SelectorEvents.Readable));

        Socket server = Track(listener.Accept());
        server.Blocking = false;
        var connection = new object();
        _selector.Register(server, Interest.Read, connection);
        client.Send("hello"u8);
        SelectedKey ready = SelectUntil(k => k.Key.Data == connection);
        Assert.That(ready.Key.Socket, Is.SameAs(server));
        var buffer = new byte[16];
        int read = server.Receive(buffer);
        Assert.That(buffer[..read], Is.EqualTo("hello"u8.ToArray()));

        _selector.Modify(server, Interest.Write, "writing");
        Assert.That(SelectUntil(k => Equals(k.Key.Data, "writing")).Events & SelectorEvents.Writable, Is.EqualTo(SelectorEvents.Writable));
        server.Send(buffer.AsSpan(0, read));
        Assert.That(client.Receive(buffer), Is.EqualTo(read));
    }

    [Test]
    public void RawDescriptorsCanBeRegisteredAndLookedUp()
    {
        using var pairs = new SocketPairs();
        (int local, int peer) = pairs.Create();
        SelectorKey key = _selector.Register(local, Interest.Read, 17);
        Assert.That(key.Socket, Is.Null);
        Assert.That(_selector.GetKey(local), Is.SameAs(key));
        Assert.That(_selector.Keys, Is.EquivalentTo(new[] { key }));
        SocketPairs.Send(peer);
        Assert.That(SelectUntil(k => k.Key == key).Key.Data, Is.EqualTo(17));
    }

    [Test]
    public void UnregisterReturnsTheKeyAndForgetsIt()
    {
        Socket listener = Listen();
        SelectorKey key = _selector.Register(listener, Interest.Read);
        Assert.That(_selector.Unregister(listener), Is.SameAs(key));
        Assert.That(key.IsUnregistered, Is.True);
        Assert.That(_selector.Count, Is.Zero);
        Assert.Throws<KeyNotFoundException>(() => _selector.GetKey(listener));
        Assert.Throws<KeyNotFoundException>(() => _selector.Unregister(listener));
        Assert.Throws<KeyNotFoundException>(() => _selector.Modify(listener, Interest.Write));
        Assert.That(_selector.TryGetKey((int)listener.Handle, out _), Is.False);
    }

    [Test]
    public void RegisteringTheSameSocketTwiceIsAnArgumentError()
    {
        Socket listener = Listen();
        _selector.Register(listener, Interest.Read);
        var error = Assert.Throws<ArgumentException>(() => _selector.Register(listener, Interest.Write))!;
        Assert.That(error.ParamName, Is.EqualTo("socket"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _selector.Register(-3, Interest.Read));
    }

    [Test]
    public void AKeyUnregisteredDuringProcessingIsMarkedAndNotReportedAgain()
    {
        using var pairs = new SocketPairs();
        (int a, int aPeer) = pairs.Create();
        (int b, int bPeer) = pairs.Create();
        _selector.Register(a, Interest.Read, "a");
        _selector.Register(b, Interest.Read, "b");
        SocketPairs.Send(aPeer);
        SocketPairs.Send(bPeer);
        var ready = new SelectedKey[8];
        int count = 0;
        var clock = Stopwatch.StartNew();
        while (count < 2 && clock.Elapsed < Deadline) count = _selector.Select(ready, TimeSpan.FromMilliseconds(100));
        Assert.That(count, Is.EqualTo(2));

        SelectorKey other = ready[0].Key.Fd == a ? _selector.GetKey(b) : _selector.GetKey(a);
        _selector.Unregister(other.Fd);
        pairs.Close(other.Fd);
        Assert.That(ready[1].Key.IsUnregistered, Is.True, "the loop can tell the rest of the batch is stale");
        SelectorKey survivor = ready[0].Key;
        Assert.That(_selector.Select(TimeSpan.Zero).Select(k => k.Key), Is.EqualTo(new[] { survivor }));
    }

    [Test]
    public void SelectIntoASpanAllocatesNothing()
    {
        using var pairs = new SocketPairs();
        (int local, int peer) = pairs.Create();
        _selector.Register(local, Interest.Read, "x");
        SocketPairs.Send(peer);
        var ready = new SelectedKey[4];
        _selector.Select(ready, TimeSpan.Zero);
        // Empties this thread's allocation context: see Infrastructure/ThreadAllocation (background-GC artefact).
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 500; i++) total += _selector.Select(ready, TimeSpan.Zero);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(total, Is.EqualTo(500));
    }

    [Test]
    public void WakeEndsASelectWithNoTimeout()
    {
        var select = Task.Run(() => _selector.Select());
        _selector.Wake();
        Assert.That(select.Wait(Deadline), Is.True);
        Assert.That(select.Result, Is.Empty);
    }

    [Test]
    public void DisposeMarksEveryKeyUnregistered()
    {
        SelectorKey key = _selector.Register(Listen(), Interest.Read);
        _selector.Dispose();
        Assert.That(key.IsUnregistered, Is.True);
        Assert.Throws<ObjectDisposedException>(() => _selector.Select(TimeSpan.Zero));
    }

    private Socket Listen()
    {
        Socket listener = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        listener.Blocking = false;
        return listener;
    }

    private Socket Track(Socket socket)
    {
        _sockets.Add(socket);
        return socket;
    }

    private SelectedKey SelectUntil(Func<SelectedKey, bool> wanted)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            foreach (SelectedKey ready in _selector.Select(TimeSpan.FromMilliseconds(100)))
            {
                if (wanted(ready)) return ready;
            }
        }

        Assert.Fail($"no matching key within {Deadline}");
        return default;
    }
}
