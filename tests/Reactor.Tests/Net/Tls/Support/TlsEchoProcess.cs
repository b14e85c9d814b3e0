using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Reactor.Tests.Net.Tls.Support;

/// <summary>
/// The TlsEcho example running as a child process (built with the tests): started with the given
/// arguments, its port read from the contract's first line, stopped by its PID.
/// </summary>
internal sealed partial class TlsEchoProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stderr = new();

    private TlsEchoProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    public static TlsEchoProcess Start(params string[] arguments)
    {
        var dll = ExampleProcess.PathOf("TlsEcho");
        Assert.That(File.Exists(dll), Is.True, $"{dll} should be built with the tests");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add("0");
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = Process.Start(info)!;
        var firstLine = process.StandardOutput.ReadLineAsync();
        if (!firstLine.Wait(TimeSpan.FromSeconds(60)) || firstLine.Result is null)
        {
            process.Kill();
            Assert.Fail($"TlsEcho did not announce its port: {process.StandardError.ReadToEnd()}");
        }
        var match = ListeningLine().Match(firstLine.Result!);
        Assert.That(match.Success, Is.True, $"unexpected first line: {firstLine.Result}");
        var echo = new TlsEchoProcess(process, int.Parse(match.Groups[1].Value));
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (echo._stderr) echo._stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        return echo;
    }

    /// <summary>Sends SIGTERM to the child (by its PID) and waits up to <paramref name="timeout"/> for it to exit.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {_process.Id}") { UseShellExecute = false })!)
        {
            kill.WaitForExit(10_000);
        }
        return _process.WaitForExit(timeout);
    }

    /// <summary>The exit code once the child has exited.</summary>
    public int ExitCode => _process.ExitCode;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^TlsEcho listening on 127\.0\.0\.1:(\d+)$")]
    private static partial Regex ListeningLine();
}
