using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Tests.Net;

/// <summary>Back-off and giving up, driven by a deterministic clock (Twisted: test/test_factories.py).</summary>
public sealed class ReconnectingClientFactoryTests
{
    private sealed class FakeConnector : IConnector
    {
        public int Connects;
        public int StopConnectingCalls;
        public bool Connecting;

        public void Connect()
        {
            Connects++;
            Connecting = true;
        }

        public void StopConnecting()
        {
            StopConnectingCalls++;
            if (!Connecting) throw new InvalidOperationException("not connecting");
            Connecting = false;
        }

        public void Disconnect() { }

        public EndPoint GetDestination() => new IPEndPoint(IPAddress.Loopback, 1);
    }

    private static readonly Failure Refused = new(new ConnectionRefusedError());

    private static ReconnectingClientFactory Create(Clock clock) =>
        new(clock, () => null) { Jitter = 0 };

    [Test]
    public void DelayGrowsByTheFactorUpToTheMaximum()
    {
        var clock = new Clock();
        var factory = Create(clock);
        factory.InitialDelay = TimeSpan.FromSeconds(1);
        factory.Factor = 2;
        factory.MaxDelay = TimeSpan.FromSeconds(5);
        var connector = new FakeConnector();

        var delays = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            connector.Connecting = false;
            factory.ClientConnectionFailed(connector, Refused);
            delays.Add(factory.Delay.TotalSeconds);
            var before = connector.Connects;
            clock.Advance(factory.Delay - TimeSpan.FromMilliseconds(1));
            Assert.That(connector.Connects, Is.EqualTo(before), "not before the delay");
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.That(connector.Connects, Is.EqualTo(before + 1), "exactly at the delay");
        }
        // Twisted multiplies before the first retry: initialDelay * factor.
        Assert.That(delays, Is.EqualTo(new[] { 2.0, 4.0, 5.0, 5.0, 5.0 }));
        Assert.That(factory.Retries, Is.EqualTo(5));
    }

    [Test]
    public void DefaultsAreTwisteds()
    {
        var factory = new ReconnectingClientFactory(new Clock(), () => null);
        Assert.That(factory.InitialDelay, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(factory.MaxDelay, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(factory.Factor, Is.EqualTo(Math.E));
        Assert.That(factory.Jitter, Is.EqualTo(0.119626565582));
        Assert.That(factory.MaxRetries, Is.Null);
    }

    [Test]
    public void RetriesAfterALostConnectionToo()
    {
        var clock = new Clock();
        var factory = Create(clock);
        var connector = new FakeConnector();
        factory.ClientConnectionLost(connector, new Failure(new ConnectionLost()));
        clock.Advance(factory.Delay);
        Assert.That(connector.Connects, Is.EqualTo(1));
        Assert.That(factory.Connector, Is.SameAs(connector));
    }

    [Test]
    public void GivesUpAfterMaxRetries()
    {
        var clock = new Clock();
        var factory = Create(clock);
        factory.MaxRetries = 2;
        var connector = new FakeConnector();
        for (var i = 0; i < 3; i++)
        {
            factory.ClientConnectionFailed(connector, Refused);
            clock.Advance(TimeSpan.FromHours(2));
        }
        Assert.That(connector.Connects, Is.EqualTo(2));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void StopTryingCancelsThePendingRetryAndStopsConnecting()
    {
        var clock = new Clock();
        var factory = Create(clock);
        var connector = new FakeConnector();
        factory.ClientConnectionFailed(connector, Refused);
        Assert.That(clock.GetDelayedCalls(), Has.Count.EqualTo(1));

        factory.StopTrying();
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
        Assert.That(connector.StopConnectingCalls, Is.EqualTo(1), "told to stop (not connecting: that is ignored)");
        Assert.That(factory.ContinueTrying, Is.False);
        factory.ClientConnectionFailed(connector, Refused);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.That(connector.Connects, Is.Zero, "no retry after StopTrying");
    }

    [Test]
    public void StopTryingStopsAnAttemptInProgress()
    {
        var clock = new Clock();
        var factory = Create(clock);
        var connector = new FakeConnector();
        factory.ClientConnectionFailed(connector, Refused);
        clock.Advance(factory.Delay);
        Assert.That(connector.Connecting, Is.True);
        factory.StopTrying();
        Assert.That(connector.Connecting, Is.False);
    }

    [Test]
    public void ResetDelayStartsOverAndAllowsTryingAgain()
    {
        var clock = new Clock();
        var factory = Create(clock);
        var connector = new FakeConnector();
        factory.ClientConnectionFailed(connector, Refused);
        factory.ClientConnectionFailed(connector, Refused);
        factory.StopTrying();

        factory.ResetDelay();
        Assert.That(factory.Delay, Is.EqualTo(factory.InitialDelay));
        Assert.That(factory.Retries, Is.Zero);
        Assert.That(factory.ContinueTrying, Is.True);
        factory.ClientConnectionFailed(connector, Refused);
        Assert.That(factory.Delay, Is.EqualTo(TimeSpan.FromSeconds(Math.E)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public void JitterSpreadsTheDelayAroundItsMean()
    {
        var clock = new Clock();
        var factory = new ReconnectingClientFactory(clock, () => null, new Random(1234)) { Factor = 1, Jitter = 0.1, InitialDelay = TimeSpan.FromSeconds(10) };
        var connector = new FakeConnector();
        var delays = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            factory.ResetDelay();
            factory.ClientConnectionFailed(connector, Refused);
            delays.Add(factory.Delay.TotalSeconds);
        }
        Assert.That(delays.Distinct().Count(), Is.GreaterThan(100), "delays differ");
        Assert.That(delays.Average(), Is.EqualTo(10).Within(0.5));
        Assert.That(delays.Min(), Is.GreaterThan(5));
    }

    [Test]
    public void RetryWithoutAnyConnectorThrows()
    {
        var factory = Create(new Clock());
        Assert.Throws<InvalidOperationException>(() => factory.Retry());
    }

    [Test]
    public void InvalidSettingsAreRejected()
    {
        var factory = Create(new Clock());
        Assert.Throws<ArgumentOutOfRangeException>(() => factory.Factor = 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => factory.Jitter = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => factory.MaxRetries = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => factory.InitialDelay = TimeSpan.FromSeconds(-1));
    }
}
