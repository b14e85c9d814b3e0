using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols.Pipelines;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Testing;

namespace Reactor.Tests.Protocols.Pipelines;

public class TransportDuplexPipeTests
{
    /// <summary>Upper-cases each LF-terminated line and sends it back, written as pipe code with a SequenceReader.</summary>
    private static async Task UpperCaseLines(IDuplexPipe pipe)
    {
        while (true)
        {
            var result = await pipe.Input.ReadAsync();
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                var text = Encoding.ASCII.GetString(line).ToUpperInvariant() + "\n";
                pipe.Output.Write(Encoding.ASCII.GetBytes(text));
            }
            pipe.Input.AdvanceTo(reader.Position, buffer.End);
            await pipe.Output.FlushAsync();
            if (result.IsCompleted) return;
        }
    }

    [Test]
    public void AsyncParsingCodeRunsOverTheTransport()
    {
        var t = new StringTransportWithDisconnection();
        var p = new TransportDuplexPipe(UpperCaseLines);
        t.Protocol = p;
        p.MakeConnection(t);
        p.DataReceived("hel"u8);
        p.DataReceived("lo\nwor"u8);
        p.DataReceived("ld\n"u8);
        Assert.That(t.ValueAsString(), Is.EqualTo("HELLO\nWORLD\n"));
        Assert.That(t.Producer, Is.Not.Null, "the output registers as the transport's streaming producer");
        Assert.That(t.Streaming, Is.True);
        p.ReadConnectionLost();
        Assert.That(p.Completion.IsCompletedSuccessfully, Is.True);
        Assert.That(t.Disconnecting, Is.True, "the connection closes when the code returns");
    }

    [Test]
    public void FullInputPipePausesTheTransportUntilTheCodeCatchesUp()
    {
        var go = new TaskCompletionSource();
        long consumed = 0;
        var t = new StringTransport();
        var p = new TransportDuplexPipe(async pipe =>
        {
            await go.Task;
            while (true)
            {
                var result = await pipe.Input.ReadAsync();
                consumed += result.Buffer.Length;
                pipe.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) return;
            }
        }, new DuplexPipeOptions { PauseThreshold = 1000, ResumeThreshold = 500 });
        p.MakeConnection(t);
        for (var i = 0; i < 9; i++) p.DataReceived(new byte[100]);
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Producing), "900 unread bytes are under the pause threshold");
        p.DataReceived(new byte[100]);
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Paused));
        Assert.That(p.ReadingPaused, Is.True);
        p.DataReceived(new byte[50]);
        go.SetResult();
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Producing));
        Assert.That(consumed, Is.EqualTo(1050), "bytes that arrived while paused are delivered too");
    }

    [Test]
    public void OutputFlushIsHeldWhenTheProducerIsPausedAndReleasedOnResume()
    {
        var t = new StringTransport();
        ValueTask<FlushResult> second = default;
        var step = new TaskCompletionSource();
        var p = new TransportDuplexPipe(async pipe =>
        {
            pipe.Output.Write("one"u8);
            await pipe.Output.FlushAsync();
            await step.Task;
            pipe.Output.Write("two"u8);
            second = pipe.Output.FlushAsync();
            await second;
        });
        p.MakeConnection(t);
        var producer = (IPushProducer)t.Producer!;
        producer.PauseProducing();
        step.SetResult();
        Assert.That(t.ValueAsString(), Is.EqualTo("onetwo"), "bytes are handed to the transport at once");
        Assert.That(second.IsCompleted, Is.False, "but the flush waits until the transport resumes its producer");
        Assert.That(p.Completion.IsCompleted, Is.False);
        producer.ResumeProducing();
        Assert.That(p.Completion.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void CompletingTheOutputHalfClosesTheConnection()
    {
        var t = new StringTransport();
        var p = new TransportDuplexPipe(async pipe =>
        {
            pipe.Output.Write("bye"u8);
            await pipe.Output.CompleteAsync();
            await pipe.Input.ReadAsync();
        });
        p.MakeConnection(t);
        Assert.That(t.ValueAsString(), Is.EqualTo("bye"));
        Assert.That(t.WriteDisconnected, Is.True);
        Assert.That(t.Disconnecting, Is.False);
    }

    [Test]
    public void ALostConnectionFailsTheReaderWithTheReason()
    {
        Exception? seen = null;
        var p = new TransportDuplexPipe(async pipe =>
        {
            try
            {
                await pipe.Input.ReadAsync();
            }
            catch (ConnectionLost e)
            {
                seen = e;
            }
        });
        p.MakeConnection(new StringTransport());
        p.ConnectionLost(new Failure(new ConnectionLost()));
        Assert.That(seen, Is.TypeOf<ConnectionLost>());
    }

    [Test]
    public void ACleanCloseCompletesTheReader()
    {
        bool? completed = null;
        var p = new TransportDuplexPipe(async pipe => completed = (await pipe.Input.ReadAsync()).IsCompleted);
        p.MakeConnection(new StringTransport());
        p.ConnectionLost(new Failure(new ConnectionDone()));
        Assert.That(completed, Is.True);
    }

    [Test]
    public void AnExceptionInTheCodeIsLoggedAndAbortsTheConnection()
    {
        var logger = new CountingLogger();
        var t = new StringTransport();
        var p = new TransportDuplexPipe(async pipe =>
        {
            await pipe.Input.ReadAsync();
            throw new FormatException("bad input");
        }, logger: logger);
        p.MakeConnection(t);
        p.DataReceived("x"u8);
        Assert.That(t.Disconnected, Is.True, "aborted");
        Assert.That(logger.Errors, Has.Count.EqualTo(1));
        Assert.That(logger.Errors[0], Is.TypeOf<FormatException>());
    }

    [Test]
    public void OneWriteLargerThanTheOutputBufferArrivesWhole()
    {
        // Regression: growing the output buffer handed back the old buffer's (empty) tail, so any
        // single Write over 4 KiB before a flush threw ArgumentOutOfRangeException in user code.
        var t = new StringTransport();
        var payload = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var p = new TransportDuplexPipe(async pipe =>
        {
            pipe.Output.Write(payload);
            var memory = pipe.Output.GetMemory(20_000);
            Assert.That(memory.Length, Is.GreaterThanOrEqualTo(20_000), "GetMemory after growth");
            payload.CopyTo(memory);
            pipe.Output.Advance(payload.Length);
            await pipe.Output.FlushAsync();
        });
        p.MakeConnection(t);
        Assert.That(p.Completion.IsCompletedSuccessfully, Is.True, () => p.Completion.Exception?.ToString() ?? "not completed");
        Assert.That(t.Value(), Is.EqualTo(payload.Concat(payload).ToArray()));
    }

    [Test]
    public void WithoutALoggerAnExceptionInTheCodeGoesWhereDeferredFailuresGo()
    {
        // Never silent by default: the brief's "an exception in user code is logged, visibly".
        var previous = Deferred.Logger;
        var logger = new CountingLogger();
        Deferred.Logger = logger;
        try
        {
            var t = new StringTransport();
            var p = new TransportDuplexPipe(async pipe =>
            {
                await pipe.Input.ReadAsync();
                throw new FormatException("bad input");
            });
            p.MakeConnection(t);
            p.DataReceived("x"u8);
            Assert.That(t.Disconnected, Is.True, "aborted");
            Assert.That(logger.Errors, Has.Count.EqualTo(1));
            Assert.That(logger.Errors[0], Is.TypeOf<FormatException>());
        }
        finally
        {
            Deferred.Logger = previous;
        }
    }

    [Test]
    public void WithoutALoggerAnExceptionInTheCodeGoesToTheLoggerOfTheReactorTheConnectionWasMadeOn()
    {
        var reactorLogger = new CountingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = reactorLogger, InstallSignalHandlers = false });
        var t = new StringTransport();
        var p = new TransportDuplexPipe(async pipe =>
        {
            await pipe.Input.ReadAsync().ConfigureAwait(false);
            throw new FormatException("bad input on a reactor");
        });
        var made = false;
        reactor.CallLater(TimeSpan.Zero, () =>
        {
            p.MakeConnection(t);
            made = true;
        });
        for (int i = 0; i < 100 && !made; i++) reactor.Iterate(TimeSpan.FromSeconds(1));
        Assert.That(made, Is.True);

        // Delivered off the reactor's thread; the pipe's own continuation then resumes on the reactor
        // (its SynchronizationContext was current when the connection was made).
        p.DataReceived("x"u8);
        for (int i = 0; i < 100 && !t.Disconnected; i++) reactor.Iterate(TimeSpan.FromSeconds(1));
        Assert.That(t.Disconnected, Is.True, "aborted");
        Assert.That(reactorLogger.Errors, Has.Count.EqualTo(1));
        Assert.That(reactorLogger.Errors[0]?.Message, Is.EqualTo("bad input on a reactor"));
    }

    private sealed class CountingLogger : ILogger
    {
        public readonly List<Exception?> Errors = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) Errors.Add(exception);
        }
    }

    [Test]
    public void RunsOverALoopbackPumpWithTheReactorScheduler()
    {
        var reactor = new QueuedReactorThreads();
        var options = new DuplexPipeOptions { Scheduler = new ReactorPipeScheduler(reactor) };
        var server = new TransportDuplexPipe(UpperCaseLines, options);
        var client = new RecordingProtocol();
        var pump = LoopbackPump.Connect(server, client);
        client.Transport.Write("ping\npong\n"u8);
        pump.Flush();
        Assert.That(client.Received, Is.Empty, "continuations wait for the reactor thread");
        reactor.RunPending();
        pump.Flush();
        Assert.That(client.ReceivedText, Is.EqualTo("PING\nPONG\n"));
        client.Transport.LoseConnection();
        pump.Flush();
        reactor.RunPending();
        pump.Flush();
        Assert.That(server.Completion.IsCompletedSuccessfully, Is.True);
        Assert.That(pump.BothDisconnected, Is.True);
    }

    [Test]
    public void BadThresholdsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TransportDuplexPipe(_ => Task.CompletedTask, new DuplexPipeOptions { PauseThreshold = 10, ResumeThreshold = 20 }));
        Assert.Throws<InvalidOperationException>(() => _ = new TransportDuplexPipe(_ => Task.CompletedTask).Output);
    }
}

/// <summary>An IReactorFromThreads whose calls run when the test says so.</summary>
internal sealed class QueuedReactorThreads : IReactorFromThreads
{
    private readonly Queue<Action> _calls = new();
    public int Posted;

    public void CallFromThread(Action action)
    {
        Posted++;
        _calls.Enqueue(action);
    }

    public void RunPending()
    {
        while (_calls.TryDequeue(out var call)) call();
    }
}
