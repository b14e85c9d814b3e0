using System.Diagnostics;

namespace Reactor.Web.Tests.Infrastructure;

/// <summary>
/// Guards tests that need a program nobody here wrote (curl, python3 with Twisted, wrk, h2load):
/// missing → ignored with a message naming the tool, except under CI=true, where it fails.
/// </summary>
internal static class ExternalTool
{
    public static string Require(string tool)
    {
        var path = Find(tool);
        if (path is not null) return path;
        Missing($"{tool} is not installed (.ci/run installs it under CI=true)");
        return tool;
    }

    public static string RequireTwisted()
    {
        foreach (var python in new[] { "/usr/bin/python3", Find("python3") })
        {
            if (python is null || !File.Exists(python)) continue;
            if (Run(python, ["-c", "import twisted"], TimeSpan.FromSeconds(20)).ExitCode == 0) return python;
        }
        Missing("python3-twisted is not installed (python3 with the twisted module; .ci/run installs it under CI=true)");
        return "python3";
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static void Missing(string message)
    {
        if (IsCi) Assert.Fail(message);
        Assert.Ignore(message);
    }

    private static string? Find(string tool)
    {
        if (tool.Contains('/')) return File.Exists(tool) ? tool : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Runs a program to completion (killed by PID after <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, TimeSpan timeout, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{Path.GetFileName(file)} did not finish within {timeout.TotalSeconds} s; stderr: {stderr.Result}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
