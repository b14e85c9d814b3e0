using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Net;
using Reactor.Selectors;

namespace Reactor.Examples;

/// <summary>
/// The command-line contract of every example (../shared/EXAMPLES.md) in one place: options,
/// help, the selector choice, the first line of output, and a clean stop on SIGTERM / SIGINT.
/// </summary>
public static class ExampleHost
{
    /// <summary>The backlog every example listens with, so thousands of clients can connect at once.</summary>
    public const int Backlog = 4096;

    /// <summary>The environment variable that picks the selector when --selector is not given.</summary>
    public const string SelectorVariable = "REACTOR_SELECTOR";

    /// <summary>
    /// Parses <paramref name="args"/>. Prints help (exit code 0) or an error (exit code 2) and
    /// returns null when the program should stop right away.
    /// </summary>
    /// <param name="name">The example's name, as in its first line of output.</param>
    /// <param name="description">One paragraph saying what the example does.</param>
    /// <param name="defaultPort">The port used when --port is not given.</param>
    /// <param name="modes">The mode words accepted besides the default server (for example "client").</param>
    /// <param name="extraOptions">Example-specific options (name without dashes → help text); each takes a value.</param>
    /// <param name="exitCode">0 after --help, 2 after a usage error.</param>
    public static ExampleOptions? Parse(string name, string description, int defaultPort, string[] args,
        IReadOnlyList<string> modes, IReadOnlyDictionary<string, string> extraOptions, out int exitCode)
    {
        exitCode = 0;
        var options = new ExampleOptions { Port = defaultPort };
        string? selector = Environment.GetEnvironmentVariable(SelectorVariable);
        string? selectorSource = selector is null ? null : SelectorVariable;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                PrintHelp(name, description, defaultPort, modes, extraOptions);
                return null;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (options.Mode is null && modes.Contains(arg))
                {
                    options.Mode = arg;
                    continue;
                }
                return UsageError(name, $"unexpected argument '{arg}'", out exitCode);
            }
            var key = arg[2..];
            string? value = null;
            var eq = key.IndexOf('=');
            if (eq >= 0)
            {
                value = key[(eq + 1)..];
                key = key[..eq];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            if (value is null) return UsageError(name, $"--{key} needs a value", out exitCode);

            switch (key)
            {
                case "port":
                    if (!int.TryParse(value, out var port) || port is < 0 or > 65535)
                    {
                        return UsageError(name, $"--port must be a number from 0 to 65535, not '{value}'", out exitCode);
                    }
                    options.Port = port;
                    break;
                case "host":
                    options.Host = value;
                    break;
                case "selector":
                    selector = value;
                    selectorSource = "--selector";
                    break;
                case "connect" when modes.Count == 0:
                    return UsageError(name, "--connect applies to client modes only, and this example has none", out exitCode);
                case "listen" or "connect":
                    if (ExampleEndpoints.SyntaxError(value) is { } problem) return UsageError(name, $"--{key}: {problem}", out exitCode);
                    if (key == "listen") options.Listen = value;
                    else options.Connect = value;
                    break;
                default:
                    if (!extraOptions.ContainsKey(key)) return UsageError(name, $"unknown option --{key}", out exitCode);
                    options.Extra[key] = value;
                    break;
            }
        }

        if (options.Connect is not null && options.Mode is null)
        {
            return UsageError(name, $"--connect is for client mode: {name} {string.Join("|", modes)} --connect ENDPOINT", out exitCode);
        }

        if (!string.IsNullOrEmpty(selector))
        {
            var kind = ParseSelector(selector);
            if (kind is null)
            {
                return UsageError(name, $"{selectorSource}: unknown selector '{selector}'; valid selectors: {string.Join(", ", SelectorNames)}", out exitCode);
            }
            options.Selector = kind;
        }
        return options;
    }

    /// <summary>The selector names accepted by --selector and REACTOR_SELECTOR.</summary>
    public static IReadOnlyList<string> SelectorNames { get; } =
        Enum.GetValues<SelectorKind>().Select(k => k.ToString().ToLowerInvariant()).ToArray();

    /// <summary>Creates the reactor with the chosen selector, logging warnings and errors to stderr.</summary>
    /// <remarks>
    /// SIGTERM and SIGINT are caught from here on, not only once <see cref="Run"/> starts: a
    /// script that reads the first line and signals at once must still get a clean shutdown.
    /// A signal that arrives before <see cref="Run"/> is queued and stops the reactor as it starts.
    /// </remarks>
    public static ReactorLoop CreateReactor(ExampleOptions options)
    {
        var reactor = ReactorLoop.Create(new ReactorOptions { Selector = options.Selector, Logger = new StderrLogger() });
        void Stop(PosixSignalContext context)
        {
            // Keep the process alive: the reactor's own shutdown ends Run, and Main returns.
            context.Cancel = true;
            reactor.CallFromThread(() =>
            {
                if (reactor.Running) reactor.Stop();
            });
        }

        s_signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop));
        s_signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop));
        return reactor;
    }

    private static readonly List<PosixSignalRegistration> s_signals = new();

    /// <summary>
    /// Prints the first line of output, <c>NAME listening on ADDRESS</c>, and flushes it at once
    /// (scripts wait for it).
    /// </summary>
    public static void AnnounceListening(string name, IListeningPort port)
    {
        Console.Out.WriteLine($"{name} listening on {Format(port.GetHost())}");
        Console.Out.Flush();
    }

    /// <summary>An address as the contract prints it: <c>127.0.0.1:PORT</c>, <c>[::1]:PORT</c>.</summary>
    public static string Format(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        _ => endPoint.ToString() ?? "",
    };

    /// <summary>
    /// Runs the reactor until it is stopped; SIGTERM and SIGINT stop it through its shutdown
    /// (triggers run, connections are closed). Returns the process exit code.
    /// </summary>
    public static int Run(ReactorLoop reactor)
    {
        try
        {
            reactor.Run();
        }
        finally
        {
            foreach (var registration in s_signals) registration.Dispose();
            s_signals.Clear();
        }
        return 0;
    }

    /// <summary>Reads <c>HOST:PORT</c> (IPv6 in brackets).</summary>
    public static bool TryParseHostPort(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out port) || port is < 1 or > 65535) return false;
        host = text[..colon].Trim('[', ']');
        return host.Length > 0;
    }

    private static SelectorKind? ParseSelector(string text) =>
        Enum.TryParse<SelectorKind>(text, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _) ? kind : null;

    private static ExampleOptions? UsageError(string name, string message, out int exitCode)
    {
        exitCode = 2;
        Console.Error.WriteLine($"{name}: {message} (see --help)");
        return null;
    }

    private static void PrintHelp(string name, string description, int defaultPort, IReadOnlyList<string> modes, IReadOnlyDictionary<string, string> extraOptions)
    {
        var modeList = modes.Count == 0 ? "" : $" [{string.Join("|", modes)}]";
        Console.Out.WriteLine($"Usage: {name}{modeList} [options]");
        Console.Out.WriteLine();
        Console.Out.WriteLine(description);
        Console.Out.WriteLine();
        Console.Out.WriteLine("Options:");
        Console.Out.WriteLine($"  --port N          port to listen on (client: to connect to); 0 = any free port (default {defaultPort})");
        Console.Out.WriteLine("  --host ADDRESS    address to listen on or connect to (default 127.0.0.1: loopback only)");
        Console.Out.WriteLine($"  --selector NAME   selector backend: {string.Join("|", SelectorNames)} (default: the platform's best; also {SelectorVariable})");
        Console.Out.WriteLine("  --listen ENDPOINT server endpoint string instead of --port/--host, e.g. tcp6:8000:interface=\\:\\:1,");
        Console.Out.WriteLine("                    unix:/tmp/x.sock, ssl:8443:privateKey=key.pem:certKey=cert.pem");
        if (modes.Count > 0)
        {
            Console.Out.WriteLine("  --connect ENDPOINT client endpoint string for client mode, e.g. tcp:127.0.0.1:8000, unix:/tmp/x.sock,");
            Console.Out.WriteLine("                    tls:localhost:8443");
        }
        foreach (var (key, help) in extraOptions) Console.Out.WriteLine($"  --{key,-15} {help}");
        Console.Out.WriteLine("  -h, --help        show this help");
        Console.Out.WriteLine();
        Console.Out.WriteLine($"The first line of output is \"{name} listening on ADDRESS:PORT\". SIGTERM or SIGINT stops it cleanly.");
    }

    /// <summary>Logs warnings and errors to stderr: stdout belongs to the contract's first line and the data.</summary>
    private sealed class StderrLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            Console.Error.WriteLine($"{logLevel}: {formatter(state, exception)}");
            if (exception is not null) Console.Error.WriteLine(exception);
        }
    }
}
