using System.Collections.Concurrent;
using System.Net;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Tcp;
using Reactor.Protocols;

namespace Reactor.Net.Group;

/// <summary>
/// One loop's end of a hand-off listener: connections accepted on another loop arrive in an inbox
/// (any thread), and this loop builds their protocols with its own factory and starts them (its
/// thread), so each connection lives on this loop alone from its first callback to its last.
/// </summary>
internal sealed class HandOffReceiver : ITransportStarter
{
    private readonly ReactorLoop _loop;
    private readonly IProtocolFactory _factory;
    private readonly ConcurrentQueue<(int Fd, IPEndPoint Peer)> _inbox = new();
    private readonly Action _drain;
    private readonly string _name;
    private SystemEventTrigger? _shutdownTrigger;
    private int _drainScheduled;
    private volatile bool _stopped;

    /// <summary>Creates the receiver of <paramref name="loop"/>; <paramref name="name"/> names the listener in logs.</summary>
    public HandOffReceiver(ReactorLoop loop, IProtocolFactory factory, string name)
    {
        _loop = loop;
        _factory = factory;
        _name = name;
        _drain = Drain;
    }

    /// <summary>Starts the factory and stops it with the loop (call on the loop's thread, or before it runs).</summary>
    public void Start()
    {
        _factory.DoStart();
        _shutdownTrigger = _loop.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () =>
        {
            _shutdownTrigger = null; // it has run: nothing to remove
            Stop();
        });
    }

    /// <summary>Queues an accepted connection for this loop (any thread); the loop is woken once per batch.</summary>
    public void Take(int fd, IPEndPoint peer)
    {
        _inbox.Enqueue((fd, peer));
        if (_stopped)
        {
            CloseQueued();
            return;
        }
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 1) return;
        try
        {
            _loop.CallFromThread(_drain);
        }
        catch (ObjectDisposedException)
        {
            CloseQueued();
        }
    }

    /// <summary>Stops taking connections, closes the queued ones and stops the factory (the loop's thread, or after it ran).</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        if (_shutdownTrigger is not null) _loop.RemoveSystemEventTrigger(_shutdownTrigger);
        _shutdownTrigger = null;
        CloseQueued();
        _loop.RunUserCode(_factory.DoStop, $"DoStop of {_factory.GetType().FullName}");
    }

    /// <summary>Closes every connection still waiting in the inbox (nothing is lost silently: the peer sees the close).</summary>
    public void CloseQueued()
    {
        while (_inbox.TryDequeue(out var connection)) LibcSyscalls.Instance.Close(connection.Fd, out _);
    }

    private void Drain()
    {
        // Cleared before emptying: a connection queued from now on schedules another drain.
        Volatile.Write(ref _drainScheduled, 0);
        while (!_stopped && _inbox.TryDequeue(out var connection))
        {
            AcceptedConnection.Start((ITransportHost)_loop, LibcSyscalls.Instance, _factory, connection.Fd, connection.Peer, this, this);
        }
        if (_stopped) CloseQueued();
    }

    void ITransportStarter.StartTransport(int fd, EndPoint peer, IProtocol protocol) =>
        new TcpConnection(_loop, fd, (IPEndPoint)peer).Start(protocol);

    /// <inheritdoc/>
    public override string ToString() => $"HandOffReceiver({_name})";
}
