using Reactor.Defer;

namespace Reactor.Tests.Net.Resolution;

/// <summary>A resolver whose answers the test gives by hand.</summary>
internal sealed class ScriptedResolver : Reactor.Net.Resolution.IHostnameResolver
{
    public List<(string Host, System.Net.Sockets.AddressFamily Family, Deferred<IReadOnlyList<System.Net.IPAddress>> Answer)> Queries { get; } = [];

    public int Cancellations { get; private set; }

    public Deferred<IReadOnlyList<System.Net.IPAddress>> ResolveHostName(string hostName, System.Net.Sockets.AddressFamily family = System.Net.Sockets.AddressFamily.Unspecified)
    {
        var answer = new Deferred<IReadOnlyList<System.Net.IPAddress>>(_ => Cancellations++);
        Queries.Add((hostName, family, answer));
        return answer;
    }
}
