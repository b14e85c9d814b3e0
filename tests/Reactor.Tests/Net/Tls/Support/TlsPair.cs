using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Net.Tls.Internal;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;

namespace Reactor.Tests.Net.Tls.Support;

/// <summary>
/// A TLS server and client connected in memory: each application protocol sits on a TLS layer,
/// the two layers on a <see cref="LoopbackPump"/>, and a <see cref="Clock"/> stands in for the
/// reactor's timers. Everything runs on the test's thread, deterministically.
/// </summary>
internal sealed class TlsPair
{
    private TlsPair(Clock clock, TlsLayer server, TlsLayer client, LoopbackPump pump)
    {
        Clock = clock;
        ServerLayer = server;
        ClientLayer = client;
        Pump = pump;
    }

    public Clock Clock { get; }
    public TlsLayer ServerLayer { get; }
    public TlsLayer ClientLayer { get; }
    public LoopbackPump Pump { get; }

    /// <summary>Server options serving <see cref="TestCertificates.Server"/>.</summary>
    public static TlsServerOptions ServerOptions() => new(TestCertificates.Server);

    /// <summary>Client options trusting <see cref="TestCertificates.Authority"/>.</summary>
    public static TlsClientOptions ClientOptions() => new() { TrustedCertificateAuthorities = TestCertificates.Roots };

    /// <summary>Connects the two applications; nothing moves until <see cref="Run"/>.</summary>
    public static TlsPair Connect(IProtocol serverApp, IProtocol clientApp, TlsServerOptions? serverOptions = null,
        TlsClientOptions? clientOptions = null, string host = "localhost", ILogger? logger = null, Clock? clock = null)
    {
        clock ??= new Clock();
        var log = logger ?? NullLogger.Instance;
        var client = clientOptions ?? ClientOptions();
        var serverLayer = new TlsLayer(serverApp, serverOptions ?? ServerOptions(), null, clock, log, connectApplication: true);
        var clientLayer = new TlsLayer(clientApp, client, client.ResolveServerName(host), clock, log, connectApplication: true);
        var pump = LoopbackPump.Connect(serverLayer, clientLayer, greet: false);
        return new TlsPair(clock, serverLayer, clientLayer, pump);
    }

    /// <summary>
    /// Moves bytes and runs due timers until <paramref name="until"/> holds (or, without one,
    /// until nothing is left to do). Fails if the condition never comes true.
    /// </summary>
    public void Run(Func<bool>? until = null, int maxRounds = 1_000_000)
    {
        for (var round = 0; round < maxRounds; round++)
        {
            if (until?.Invoke() == true) return;
            // One round is one reactor iteration: I/O, then the timers that are due.
            var moved = Pump.Pump();
            var calls = Clock.GetDelayedCalls();
            if (calls.Count == 0)
            {
                if (moved) continue;
                if (until is null) return;
                Assert.Fail("The connection went quiet before the expected condition held.");
            }
            var next = calls.Min(c => c.GetTime());
            // Time only moves on when nothing else is left to do now.
            Clock.Advance(next <= Clock.Now || !moved ? (next > Clock.Now ? next - Clock.Now : TimeSpan.Zero) : TimeSpan.Zero);
        }
        Assert.Fail($"Still busy after {maxRounds} rounds.");
    }
}
