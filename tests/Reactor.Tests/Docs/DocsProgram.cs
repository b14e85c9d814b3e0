using System.Diagnostics;

namespace Reactor.Tests.Docs;

/// <summary>
/// A whole program from docs/samples run as a child process: the path of its built assembly, and
/// a bounded run to exit. Servers are started with <see cref="Start"/> and stopped by PID.
/// </summary>
internal static class DocsProgram
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>docs/samples/<paramref name="relativeFolder"/>/bin/CONFIG/net10.0/NAME.dll, built with the tests.</summary>
    public static string PathOf(string relativeFolder)
    {
        var testDir = AppContext.BaseDirectory; // .../tests/Reactor.Tests/bin/<Config>/net10.0/
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(testDir)).Parent!.Name;
        var path = Path.Combine(RepositoryRoot, "docs", "samples", relativeFolder, "bin", configuration, "net10.0",
            Path.GetFileName(relativeFolder) + ".dll");
        if (!File.Exists(path)) Assert.Fail($"{path} is not built: build Reactor.sln first.");
        return path;
    }

    /// <summary>The folder that holds Reactor.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Reactor.sln"))) root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root))!;
            return root;
        }
    }

    /// <summary>Runs the program to its end; returns (exit code, stdout, stderr).</summary>
    public static (int ExitCode, string Output, string Error) Run(string relativeFolder, params string[] arguments)
    {
        using var process = Process.Start(Info(relativeFolder, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        if (!process.WaitForExit((int)Deadline.TotalMilliseconds))
        {
            process.Kill();
            Assert.Fail($"{relativeFolder} did not finish: {error.Result}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts a server program and waits (bounded) for its first line of output.</summary>
    public static (Process Process, string FirstLine) Start(string relativeFolder, params string[] arguments)
    {
        var process = Process.Start(Info(relativeFolder, arguments))!;
        var firstLine = process.StandardOutput.ReadLineAsync();
        if (!firstLine.Wait(Deadline) || firstLine.Result is null)
        {
            process.Kill();
            Assert.Fail($"{relativeFolder} printed nothing: {process.StandardError.ReadToEnd()}");
        }
        return (process, firstLine.Result!);
    }

    /// <summary>Sends SIGTERM to <paramref name="process"/> (by its PID) and waits for its exit code, bounded.</summary>
    public static int? Terminate(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", $"-TERM {process.Id}");
            kill.WaitForExit(10_000);
        }
        if (process.WaitForExit((int)Deadline.TotalMilliseconds)) return process.ExitCode;
        process.Kill();
        return null;
    }

    private static ProcessStartInfo Info(string relativeFolder, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(PathOf(relativeFolder));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }
}
