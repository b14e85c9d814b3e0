using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reactor.Application;
using Reactor.Defer;
using Reactor.Hosting;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Packages;

/// <summary>The example in src/Reactor.Hosting/README.md (the package's page on the gallery), runnable.</summary>
public static class HostingReadme
{
    /// <summary>
    /// The README's host: a reactor serving the listener "Echo", whose endpoint string comes from
    /// configuration (<paramref name="args"/> included: <c>--Reactor:Listeners:Echo=tcp:8000</c>),
    /// and one service. The README runs it with <c>await host.RunAsync()</c>; the test starts and stops it.
    /// </summary>
    public static IHost BuildHost(string[] args)
    {
        #region readme
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddReactor()                                   // options: the "Reactor" section
            .AddListener("Echo", _ => Factory.For<Echo>())              // its endpoint: Reactor:Listeners:Echo
            .AddService<Heartbeat>();                                   // started once the loop runs
        var host = builder.Build();
        #endregion
        return host;
    }

    #region classes
    /// <summary>Writes back what it receives (runs on the reactor thread).</summary>
    public sealed class Echo : Protocol
    {
        /// <inheritdoc/>
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    /// <summary>A Twisted-style service: counts a beat every second while it runs.</summary>
    public sealed class Heartbeat(ReactorLoop reactor) : Service
    {
        private LoopingCall? _beat;

        /// <summary>Beats so far (the first one at start).</summary>
        public int Beats { get; private set; }

        /// <inheritdoc/>
        public override Deferred<object?> StartService()
        {
            _beat = new LoopingCall(reactor, () => Beats++);
            _beat.Start(TimeSpan.FromSeconds(1), now: true);
            return base.StartService();
        }

        /// <inheritdoc/>
        public override Deferred<object?> StopService()
        {
            _beat?.Stop();
            return base.StopService();
        }
    }
    #endregion
}
