using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reactor.Hosting;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Guides.Hosting;

/// <summary>docs/guides/observability.md: a reactor inside the .NET Generic Host.</summary>
public static class HostingSamples
{
    /// <summary>The guide's host: one listener named Echo, its endpoint from configuration (<paramref name="args"/> included).</summary>
    public static IHost BuildEchoHost(string[] args)
    {
        #region host
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<EchoProtocol>());
        var host = builder.Build();
        #endregion
        return host;
    }

    /// <summary>Writes back what it receives.</summary>
    public sealed class EchoProtocol : Protocol
    {
        /// <inheritdoc/>
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }
}
