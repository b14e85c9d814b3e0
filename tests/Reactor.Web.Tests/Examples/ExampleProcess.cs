using System.Diagnostics;
using System.Text;

namespace Reactor.Web.Tests.Examples;

/// <summary>An example program run as a child (dotnet Example.dll), killed by its PID if still running when disposed.</summary>
internal sealed partial class ExampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private ExampleProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
    }

    public string FirstLine { get; private set; } = "";

    public int Port => int.Parse(FirstLine[(FirstLine.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public int Id => _process.Id;

    public string Stderr
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    public static string PathOf(string name)
    {
        var testDir = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(testDir)).Parent!.Name;
        var root = testDir;
        while (!File.Exists(Path.Combine(root, "Reactor.sln"))) root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root))!;
        var path = Path.Combine(root, "examples", name, "bin", configuration, "net10.0", name + ".dll");
        if (!File.Exists(path)) Assert.Fail($"{path} is not built: build Reactor.sln first.");
        return path;
    }

    public static ProcessStartInfo Info(string name, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(PathOf(name));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    /// <summary>Starts a server example and reads its first stdout line (the address).</summary>
    public static ExampleProcess StartServer(string name, params string[] arguments)
    {
        var example = new ExampleProcess(Process.Start(Info(name, arguments))!);
        var line = example._process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(30)) || line.Result is null)
        {
            example.Dispose();
            Assert.Fail($"{name} printed no address line; stderr: {example.Stderr}");
        }
        example.FirstLine = line.Result!;
        return example;
    }

    /// <summary>Sends SIGTERM and waits (bounded) for the exit code.</summary>
    public int Terminate()
    {
        Posix.Kill(_process.Id, 15);
        Assert.That(_process.WaitForExit(10_000), Is.True, "the example exits after SIGTERM");
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    private static partial class Posix
    {
        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }
}
