using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Endpoints;
using Reactor.Net.Tls;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Web.Client;

/// <summary>Where a pooled connection goes: scheme, host and port.</summary>
internal readonly record struct PoolKey(string Scheme, string Host, int Port);

/// <summary>
/// Kept-alive connections per scheme, host and port (Twisted's <c>HTTPConnectionPool</c> with
/// <c>persistent=True</c>): at most <see cref="AgentOptions.MaxIdlePerHost"/> idle ones each,
/// closed after <see cref="AgentOptions.IdleTimeout"/>.
/// </summary>
internal sealed class ConnectionPool(IReactorTcp tcp, IReactorTime time, AgentOptions options)
{
    private readonly Dictionary<PoolKey, List<HttpClientConnection>> _idle = [];

    public int IdleCount => _idle.Values.Sum(list => list.Count);

    /// <summary>An idle connection to <paramref name="key"/>, or a new one.</summary>
    public Deferred<HttpClientConnection> Get(PoolKey key, out bool reused)
    {
        reused = false;
        if (_idle.TryGetValue(key, out var list))
        {
            while (list.Count > 0)
            {
                var connection = list[^1];
                list.RemoveAt(list.Count - 1);
                if (connection.IdleTimer is { Active: true }) connection.IdleTimer.Cancel();
                connection.IdleTimer = null;
                if (!connection.IsIdle) continue;
                reused = true;
                return Deferred.Succeed(connection);
            }
        }
        return Connect(key);
    }

    public Deferred<HttpClientConnection> Connect(PoolKey key)
    {
        IStreamClientEndpoint endpoint = new HostnameEndpoint(tcp, key.Host, key.Port, options.ConnectTimeout, clock: time);
        if (key.Scheme == "https") endpoint = new TlsClientEndpoint(endpoint, options.Tls ?? new TlsClientOptions(), key.Host, time);
        var connection = new HttpClientConnection(this, key, options, time);
        return endpoint.ConnectProtocol(connection).AddCallback(_ => connection);
    }

    /// <summary>A connection whose response ended and may carry another request.</summary>
    public void Release(HttpClientConnection connection)
    {
        if (options.MaxIdlePerHost <= 0)
        {
            connection.Transport.LoseConnection();
            return;
        }
        if (!_idle.TryGetValue(connection.Key, out var list)) _idle[connection.Key] = list = [];
        if (list.Count >= options.MaxIdlePerHost)
        {
            connection.Transport.LoseConnection();
            return;
        }
        list.Add(connection);
        connection.IdleTimer = time.CallLater(options.IdleTimeout, () =>
        {
            connection.IdleTimer = null;
            Forget(connection);
            if (connection.Connected) connection.Transport.LoseConnection();
        });
    }

    public void Forget(HttpClientConnection connection)
    {
        if (_idle.TryGetValue(connection.Key, out var list)) list.Remove(connection);
    }

    /// <summary>Closes every idle connection (Twisted's <c>closeCachedConnections</c>).</summary>
    public void CloseIdle()
    {
        foreach (var connection in _idle.Values.SelectMany(list => list).ToList())
        {
            if (connection.IdleTimer is { Active: true }) connection.IdleTimer.Cancel();
            if (connection.Connected) connection.Transport.LoseConnection();
        }
        _idle.Clear();
    }
}
