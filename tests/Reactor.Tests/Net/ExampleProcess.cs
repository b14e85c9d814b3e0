using System.Diagnostics;

namespace Reactor.Tests.Net;

/// <summary>
/// An example program run as a child process: waits for its first line ("NAME listening on
/// ADDRESS"), and is stopped by its PID (SIGTERM, then SIGKILL if it lingers) on dispose.
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
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
                Monitor.PulseAll(_stderr);
            }
        };
        process.Exited += (_, _) => _firstLine.TrySetException(new InvalidOperationException($"The example exited early: {Stderr}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The first line of output.</summary>
    public string FirstLine { get; private set; } = "";

    /// <summary>What the program wrote to stderr so far.</summary>
    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>
    /// Waits, woken by each line the program writes to stderr, until <paramref name="condition"/> holds
    /// for everything written so far; fails the test naming <paramref name="what"/> after the deadline.
    /// </summary>
    public void WaitForStderr(Func<string, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        lock (_stderr)
        {
            while (!condition(_stderr.ToString()))
            {
                var left = NetTesting.Deadline - clock.Elapsed;
                if (left <= TimeSpan.Zero) Assert.Fail($"Timed out waiting for: {what}. stderr:\n{_stderr}");
                Monitor.Wait(_stderr, left);
            }
        }
    }

    /// <summary>The child process (for tests that read its streams themselves).</summary>
    public Process Process => _process;

    /// <summary>The child's pid.</summary>
    public int Id => _process.Id;

    /// <summary>The port at the end of the first line (for the IP examples).</summary>
    public int Port => int.Parse(FirstLine[(FirstLine.LastIndexOf(':') + 1)..]);

    /// <summary>The built example's assembly, next to this test assembly's configuration (Debug/Release).</summary>
    public static string PathOf(string name)
    {
        var testDir = AppContext.BaseDirectory; // .../tests/Reactor.Tests/bin/<Config>/net10.0/
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(testDir)).Parent!.Name;
        var root = testDir;
        while (!File.Exists(Path.Combine(root, "Reactor.sln"))) root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root))!;
        var path = Path.Combine(root, "examples", name, "bin", configuration, "net10.0", name + ".dll");
        if (!File.Exists(path)) Assert.Fail($"{path} is not built: build Reactor.sln (or examples/{name}) first.");
        return path;
    }

    /// <summary>Runs <paramref name="name"/> to completion; returns its exit code and stderr.</summary>
    public static (int ExitCode, string Error) RunToExit(string name, params string[] arguments)
    {
        using var process = Process.Start(Info(name, arguments))!;
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)NetTesting.Deadline.TotalMilliseconds))
        {
            process.Kill();
            Assert.Fail($"{name} did not exit");
        }
        return (process.ExitCode, error.Result);
    }

    /// <summary>Starts <paramref name="name"/> with <paramref name="arguments"/> and waits for its first line.</summary>
    public static ExampleProcess Start(string name, params string[] arguments) => StartUnder([], name, arguments);

    /// <summary>
    /// As <see cref="Start"/>, run through <paramref name="wrapper"/> (a program that execs the rest of
    /// its command line, as <c>prlimit --nofile=256 --</c>): the process's pid is the example's.
    /// </summary>
    public static ExampleProcess StartUnder(string[] wrapper, string name, params string[] arguments)
    {
        var process = new Process { StartInfo = Info(name, arguments, wrapper), EnableRaisingEvents = true };
        process.Start();
        var example = new ExampleProcess(process);
        if (!example._firstLine.Task.Wait(NetTesting.Deadline)) throw new TimeoutException($"{name} printed nothing: {example.Stderr}");
        example.FirstLine = example._firstLine.Task.Result;
        return example;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, KILL) and waits (bounded) for the exit; returns the exit code, or null.</summary>
    public int? Signal(string signal)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", $"-{signal} {_process.Id}");
            kill.WaitForExit(10_000);
        }
        return _process.WaitForExit((int)NetTesting.Deadline.TotalMilliseconds) ? _process.ExitCode : null;
    }

    /// <summary>Sends SIGTERM and waits (bounded) for the exit; returns the exit code, or null if it did not exit.</summary>
    public int? Terminate() => Signal("TERM");

    public void Dispose()
    {
        if (!_process.HasExited && Signal("TERM") is null) _process.Kill();
        _process.Dispose();
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

    private static ProcessStartInfo Info(string name, string[] arguments, string[]? wrapper = null)
    {
        var program = wrapper is { Length: > 0 } ? wrapper[0] : "dotnet";
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (wrapper is { Length: > 0 })
        {
            foreach (var part in wrapper.Skip(1)) info.ArgumentList.Add(part);
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(PathOf(name));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }
}
