using System.Net.Sockets;
using System.Net;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Tcp;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor;

/// <summary>TCP for the reactor: <see cref="ListenTcp"/> and <see cref="ConnectTcp"/> (Twisted's <c>IReactorTCP</c>).</summary>
public sealed partial class ReactorLoop : IReactorTcp, ITransportHost
{
    /// <summary>The connect timeout used when none is given: 30 s, as Twisted.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        ThrowIfDisposed();
        CheckReactorThread(nameof(ListenTcp));
        IPAddress address;
        if (string.IsNullOrEmpty(@interface))
        {
            address = IPAddress.Any;
        }
        else if (!IPAddress.TryParse(@interface, out address!))
        {
            throw new ArgumentException($"The interface must be an IPv4 or IPv6 address literal, not '{@interface}'.", nameof(@interface));
        }
        return TcpPort.Listen(this, factory, new IPEndPoint(address, port), backlog);
    }

    /// <inheritdoc/>
    public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(factory);
        CheckReactorThread(nameof(ConnectTcp));
        if (port is < 1 or > IPEndPoint.MaxPort) throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be from 1 to 65535.");
        var limit = timeout ?? DefaultConnectTimeout;
        if (limit <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        if (bindAddress is not null && bindAddress.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException("The bind address must be an IPv4 or IPv6 end point.", nameof(bindAddress));
        }
        ThrowIfDisposed();
        var connector = new TcpConnector(this, host, port, factory, limit, bindAddress);
        connector.Connect();
        return connector;
    }

    ISyscalls ITransportHost.Syscalls => LibcSyscalls.Instance;

    byte[] ITransportHost.ReadBuffer => ReadBuffer;

    NetInstruments ITransportHost.Instruments => NetInstruments;

    void ITransportHost.RequestFlush(IFlushable target) => RequestFlush(target);

    void ITransportHost.RemoveBeforeClose(IFileDescriptor descriptor) => RemoveBeforeClose(descriptor);

    Selectors.SelectorEvent ITransportHost.CurrentReadiness => CurrentReadiness;

    void ITransportHost.CheckReactorThread(string member) => CheckReactorThread(member);
}
