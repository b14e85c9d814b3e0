using System.Net;
using Reactor.Net;
using Reactor.Net.Tls;
using Reactor.Protocols;

namespace Reactor.Testing;

// TLS over TCP (Twisted's MemoryReactor.listenSSL / connectSSL): recorded with the options given.
// No handshake happens: a FakeConnector's success connects the factory's protocol in the clear.
public partial class MemoryReactor : IReactorSsl
{
    /// <summary>Every <see cref="ListenSsl"/> call, in order.</summary>
    public List<SslServerRecord> SslServers { get; } = [];

    /// <summary>Every <see cref="ConnectSsl"/> call, in order.</summary>
    public List<SslClientRecord> SslClients { get; } = [];

    /// <summary>Records the call (with its TLS options) and returns a port bound nowhere; the factory's <c>DoStart</c> runs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port or backlog is out of range.</exception>
    /// <exception cref="Exception"><see cref="ListenError"/>, when set.</exception>
    public IListeningPort ListenSsl(int port, IProtocolFactory factory, TlsServerOptions options, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        var address = string.IsNullOrEmpty(@interface) ? IPAddress.Any : IPAddress.Parse(@interface);
        SslServers.Add(new SslServerRecord(port, factory, options, backlog, @interface));
        return Listen(new IPEndPoint(address, port), factory);
    }

    /// <summary>
    /// Records the call (with its TLS options), starts the factory and tells it the attempt
    /// started, and returns a connector that never connects by itself (see <see cref="FakeConnector.Succeed"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The host is empty or the port out of range.</exception>
    public IConnector ConnectSsl(string host, int port, ClientFactory factory, TlsClientOptions options, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        EndPoint destination = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
        SslClients.Add(new SslClientRecord(host, port, factory, options, timeout, bindAddress));
        return StartConnector(new FakeConnector(destination, factory));
    }
}

/// <summary>A <see cref="MemoryReactor.ListenSsl"/> call.</summary>
/// <param name="Port">The port asked for.</param>
/// <param name="Factory">The factory given.</param>
/// <param name="Options">The TLS server options given.</param>
/// <param name="Backlog">The backlog given.</param>
/// <param name="Interface">The interface given, or null.</param>
public sealed record SslServerRecord(int Port, IProtocolFactory Factory, TlsServerOptions Options, int Backlog, string? Interface);

/// <summary>A <see cref="MemoryReactor.ConnectSsl"/> call.</summary>
/// <param name="Host">The host given.</param>
/// <param name="Port">The port given.</param>
/// <param name="Factory">The factory given.</param>
/// <param name="Options">The TLS client options given.</param>
/// <param name="Timeout">The timeout given, or null.</param>
/// <param name="BindAddress">The bind address given, or null.</param>
public sealed record SslClientRecord(string Host, int Port, ClientFactory Factory, TlsClientOptions Options, TimeSpan? Timeout, IPEndPoint? BindAddress);
