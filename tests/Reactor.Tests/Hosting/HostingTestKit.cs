using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reactor.Hosting;
using Reactor.Protocols;

namespace Reactor.Tests.Hosting;

/// <summary>Hosts built in-process for tests: configuration from a dictionary, logs captured.</summary>
internal static class HostingTestKit
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static HostApplicationBuilder Builder(IDictionary<string, string?> settings, CapturingLoggerProvider? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(logs ?? new CapturingLoggerProvider());
        return builder;
    }

    /// <summary>Connects to <paramref name="address"/>, sends <paramref name="text"/> and reads until as many bytes came back.</summary>
    public static string EchoThrough(EndPoint address, string text)
    {
        using var client = new Socket(address.AddressFamily, SocketType.Stream, address.AddressFamily == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        client.ReceiveTimeout = (int)Deadline.TotalMilliseconds;
        client.Connect(address);
        client.Send(Encoding.ASCII.GetBytes(text));
        var buffer = new byte[text.Length];
        var got = 0;
        while (got < buffer.Length)
        {
            var n = client.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            if (n == 0) break;
            got += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, got);
    }

    public static async Task StartWithin(this IHost host) => await host.StartAsync().WaitAsync(Deadline);

    public static async Task StopWithin(this IHost host) => await host.StopAsync().WaitAsync(Deadline);
}

internal sealed class Echo : Protocol
{
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}

/// <summary>Keeps every log line of every category.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public bool Has(string category, string fragment) => Entries.Any(e => e.Category == category && e.Message.Contains(fragment, StringComparison.Ordinal));

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception)));
    }
}
