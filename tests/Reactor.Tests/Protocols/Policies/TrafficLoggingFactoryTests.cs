using Microsoft.Extensions.Logging;
using Reactor.Errors;
using Reactor.Protocols.Policies;
using static Reactor.Tests.Protocols.Policies.PolicyTestSupport;

namespace Reactor.Tests.Protocols.Policies;

// Modelled on twisted/test/test_policies.py LoggingFactoryTests.test_thingsGetLogged.
public class TrafficLoggingFactoryTests
{
    [Test]
    public void ThingsGetLogged()
    {
        var inner = new RecordingFactory();
        var log = new StringWriter();
        var factory = new TrafficLoggingFactory(inner, log);
        var (protocol, _) = Connect(factory);
        var wrapped = inner.Built.Single();
        wrapped.Transport.Write("here are some bytes"u8);
        protocol.DataReceived("here are some bytes\r\n\x01"u8);
        wrapped.Transport.WriteSequence(new System.Buffers.ReadOnlySequence<byte>("chunk"u8.ToArray()));
        wrapped.Transport.LoseConnection();
        var lines = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("* 1"));
        Assert.That(lines[1], Is.EqualTo("S 1: 'here are some bytes'"));
        Assert.That(lines[2], Is.EqualTo("C 1: 'here are some bytes\\r\\n\\x01'"));
        Assert.That(lines[3], Is.EqualTo("SV 1: ['chunk']"));
        Assert.That(lines[4], Is.EqualTo("S 1: LoseConnection"));
        Assert.That(lines[5], Does.StartWith("C 1: [Failure instance: ConnectionDone"));
    }

    [Test]
    public void LengthLimitElidesAndConnectionsAreNumbered()
    {
        var log = new StringWriter();
        var factory = new TrafficLoggingFactory(new RecordingFactory(), log, lengthLimit: 4);
        Connect(factory);
        var (second, _) = Connect(factory);
        second.DataReceived("0123456789"u8);
        Assert.That(log.ToString(), Does.Contain("C 2: '0123'<... elided>"));
    }

    [Test]
    public void LogsThroughAnILogger()
    {
        var logger = new ListLogger();
        var factory = new TrafficLoggingFactory(new RecordingFactory(), logger);
        var (protocol, _) = Connect(factory);
        protocol.DataReceived("hi"u8);
        Assert.That(logger.Messages, Is.EqualTo(new[] { "* 1", "C 1: 'hi'" }));
    }

    private sealed class ListLogger : ILogger
    {
        public readonly List<string> Messages = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
