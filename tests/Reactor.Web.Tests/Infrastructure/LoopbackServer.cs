using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Net;
using Reactor.Web.Server;

namespace Reactor.Web.Tests.Infrastructure;

/// <summary>A <see cref="Site"/> listening on 127.0.0.1 (OS-chosen port) on its own reactor thread; disposed = stopped.</summary>
internal sealed class LoopbackServer : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Thread _thread;

    public LoopbackServer(Func<ReactorLoop, Resource> root, HttpServerOptions? options = null)
    {
        Logger = new ErrorCountingLogger();
        Reactor = ReactorLoop.Create(new ReactorOptions { Logger = Logger });
        Site = new Site(root(Reactor), Reactor, options, Logger);
        var port = Reactor.ListenTcp(0, Site, @interface: "127.0.0.1");
        Port = ((IPEndPoint)port.GetHost()).Port;
        _thread = new Thread(Reactor.Run) { IsBackground = true, Name = "web test reactor" };
        _thread.Start();
    }

    public ReactorLoop Reactor { get; }

    public Site Site { get; }

    public int Port { get; }

    public ErrorCountingLogger Logger { get; }

    public string Url(string path = "/") => $"http://127.0.0.1:{Port}{path}";

    public void Dispose()
    {
        Reactor.CallFromThread(Reactor.Stop);
        var stopped = _thread.Join(Deadline);
        if (stopped) Reactor.Dispose();
        Assert.That(stopped, Is.True, "the reactor thread stopped");
    }
}

/// <summary>Counts errors logged (a handler failure must be logged, and nothing else should be).</summary>
internal sealed class ErrorCountingLogger : ILogger
{
    private int _errors;

    public int Errors => Volatile.Read(ref _errors);

    public List<string> Messages { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel < LogLevel.Error) return;
        Interlocked.Increment(ref _errors);
        lock (Messages) Messages.Add(formatter(state, exception) + " " + exception);
    }
}
