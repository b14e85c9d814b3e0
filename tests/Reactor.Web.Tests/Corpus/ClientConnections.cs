using Reactor.Testing;
using Reactor.Time;
using Reactor.Web.Client;

namespace Reactor.Web.Tests.Corpus;

/// <summary>A client connection outside any socket, for feeding response bytes by hand.</summary>
internal static class ClientConnections
{
    public static HttpClientConnection Create(IReactorTime time)
    {
        var options = new AgentOptions();
        var pool = new ConnectionPool(new MemoryReactor(), time, options);
        return new HttpClientConnection(pool, new PoolKey("http", "example.com", 80), options, time);
    }
}
