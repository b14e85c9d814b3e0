namespace Reactor.Tests.Infrastructure;

/// <summary>
/// Guards tests that need a program nobody here wrote (socat, python3 with Twisted, openssl):
/// missing → the test is ignored with a message naming the tool, except under CI=true, where
/// a missing tool fails the test so that CI never silently skips interop.
/// </summary>
public static class ExternalTool
{
    /// <summary>Returns the full path of <paramref name="tool"/>, or ignores / fails the test.</summary>
    public static string Require(string tool)
    {
        var path = Find(tool);
        if (path is not null) return path;
        var message = $"{tool} is not installed (it is installed by .ci/run under CI=true)";
        if (IsCi) Assert.Fail(message);
        Assert.Ignore(message);
        return tool;
    }

    /// <summary>Requires python3 with the Twisted package importable; returns the python3 path.</summary>
    public static string RequireTwisted()
    {
        foreach (var python in new[] { "/usr/bin/python3", Find("python3") })
        {
            if (python is null || !File.Exists(python)) continue;
            if (RunsOk(python, "-c \"import twisted\"")) return python;
        }
        var message = "python3-twisted is not installed (python3 with the twisted module; .ci/run installs it under CI=true)";
        if (IsCi) Assert.Fail(message);
        Assert.Ignore(message);
        return "python3";
    }

    /// <summary>True when running under CI (CI=true).</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

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

    private static bool RunsOk(string file, string args)
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            if (!p.WaitForExit(20_000))
            {
                p.Kill();
                return false;
            }
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
