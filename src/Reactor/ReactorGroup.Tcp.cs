using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Net.Group;
using Reactor.Net.Internal;
using Reactor.Net.Tcp;
using Reactor.Protocols;

namespace Reactor;

public sealed partial class ReactorGroup
{
    /// <summary>
    /// Listens on a TCP port with every loop of the group: each accepted connection goes to one loop
    /// and stays there. Call it before <see cref="Run"/>.
    /// </summary>
    /// <param name="port">The port; 0 lets the OS choose one (the same for every loop).</param>
    /// <param name="factory">
    /// Makes each loop's own factory (called once per loop, with that loop): protocols are built,
    /// started and stopped on their loop's thread, so a factory needs no locking.
    /// </param>
    /// <param name="backlog">The listen backlog of each listening socket.</param>
    /// <param name="interface">The address to bind (an IPv4 or IPv6 literal); null or empty: all IPv4 interfaces.</param>
    /// <param name="mode">How connections are spread over the loops (see <see cref="GroupListenMode"/>).</param>
    /// <returns>The listener: its address, and <see cref="IListeningPort.StopListening"/> for every loop at once.</returns>
    /// <exception cref="CannotListenError">The address could not be bound or listened on (nothing is left listening).</exception>
    /// <exception cref="ReactorStateError">The group is running or has run.</exception>
    public IListeningPort ListenTcp(int port, Func<ReactorLoop, IProtocolFactory> factory, int backlog = IReactorTcp.DefaultBacklog,
        string? @interface = null, GroupListenMode mode = GroupListenMode.Default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a GroupListenMode.");
        CheckSettingUp(nameof(ListenTcp));
        IPAddress address;
        if (string.IsNullOrEmpty(@interface)) address = IPAddress.Any;
        else if (!IPAddress.TryParse(@interface, out address!))
            throw new ArgumentException($"The interface must be an IPv4 or IPv6 address literal, not '{@interface}'.", nameof(@interface));
        if (mode == GroupListenMode.Default) mode = OperatingSystem.IsLinux() ? GroupListenMode.ReusePort : GroupListenMode.HandOff;
        var endPoint = new IPEndPoint(address, port);
        return mode == GroupListenMode.ReusePort ? ListenReusePort(endPoint, factory, backlog) : ListenHandOff(endPoint, factory, backlog);
    }

    private GroupListeningPort ListenReusePort(IPEndPoint endPoint, Func<ReactorLoop, IProtocolFactory> factory, int backlog)
    {
        var ports = new List<TcpPort>(_loops.Length);
        try
        {
            foreach (var loop in _loops)
            {
                ports.Add(TcpPort.Listen(loop, factory(loop), endPoint, backlog, reusePort: true));
                // Port 0: the first socket's port is the one the others join.
                if (endPoint.Port == 0) endPoint = new IPEndPoint(endPoint.Address, ((IPEndPoint)ports[0].GetHost()).Port);
            }
        }
        catch
        {
            foreach (var opened in ports) opened.StopListening();
            throw;
        }
        return new GroupListeningPort(this, ports[0].GetHost(), [.. ports.Select(p => (Func<Deferred<object?>>)p.StopListening)]);
    }

    private GroupListeningPort ListenHandOff(IPEndPoint endPoint, Func<ReactorLoop, IProtocolFactory> factory, int backlog)
    {
        // The first loop accepts; every other loop receives its turn through an inbox.
        var receivers = new HandOffReceiver?[_loops.Length];
        for (var i = 1; i < _loops.Length; i++) receivers[i] = new HandOffReceiver(_loops[i], factory(_loops[i]), $"{endPoint} loop {i}");
        var acceptor = TcpPort.Listen(_loops[0], factory(_loops[0]), endPoint, backlog, handOff: new RoundRobinHandOff(receivers));
        var stops = new Func<Deferred<object?>>[_loops.Length];
        stops[0] = acceptor.StopListening;
        for (var i = 1; i < _loops.Length; i++)
        {
            var receiver = receivers[i]!;
            receiver.Start();
            stops[i] = () =>
            {
                receiver.Stop();
                return Deferred.Succeed<object?>(null);
            };
            OnDispose(receiver.CloseQueued);
        }
        return new GroupListeningPort(this, acceptor.GetHost(), stops);
    }
}
