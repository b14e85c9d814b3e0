using System.Diagnostics;

namespace Reactor.Tests.Net;

/// <summary>
/// One example program run as a child process: waits for its first line ("NAME listening on
/// HOST:PORT"), and is stopped by its PID (SIGTERM, then SIGKILL if it lingers) on dispose.
/// </summary>
internal sealed class ExampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();

    private ExampleProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _firstLine.TrySetResult(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.Exited += (_, _) => _firstLine.TrySetException(new InvalidOperationException($"The example exited early: {Stderr}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; private set; }

    public string FirstLine { get; private set; } = "";

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public Process Process => _process;

    /// <summary>The built example's assembly, next to this test assembly's configuration (Debug/Release).</summary>
    public static string PathOf(string name)
    {
        var testDir = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory); // .../tests/Reactor.Tests/bin/<Config>/net10.0
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDir))!;
        var root = testDir;
        while (!File.Exists(Path.Combine(root, "Reactor.sln"))) root = Path.GetDirectoryName(root)!;
        return Path.Combine(root, "examples", name, "bin", configuration, "net10.0", name + ".dll");
    }

    /// <summary>Starts <paramref name="name"/> with <paramref name="arguments"/> and waits for its first line.</summary>
    public static ExampleProcess Start(string name, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(PathOf(name));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Start();
        var example = new ExampleProcess(process);
        if (!example._firstLine.Task.Wait(NetTesting.Deadline)) throw new TimeoutException($"{name} printed nothing: {example.Stderr}");
        example.FirstLine = example._firstLine.Task.Result;
        var colon = example.FirstLine.LastIndexOf(':');
        example.Port = int.Parse(example.FirstLine[(colon + 1)..]);
        return example;
    }

    /// <summary>Sends SIGTERM and waits (bounded) for the exit; returns the exit code, or null if it did not exit.</summary>
    public int? Terminate()
    {
        if (!_process.HasExited) Signal("TERM");
        return _process.WaitForExit((int)NetTesting.Deadline.TotalMilliseconds) ? _process.ExitCode : null;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal("TERM");
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process.Id}");
        kill.WaitForExit(10_000);
    }

    /// <summary>Runs a tool to completion with <paramref name="input"/> on stdin; returns (exit code, stdout, stderr).</summary>
    public static (int ExitCode, string Output, string Error) RunTool(string tool, string input, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit((int)NetTesting.Deadline.TotalMilliseconds))
        {
            process.Kill();
            Assert.Fail($"{tool} did not finish: {error.Result}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
