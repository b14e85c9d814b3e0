using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Reactor.Web.Tests.Infrastructure;

/// <summary>A server program nobody here wrote, started for a test and killed (by its PID) when disposed.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _lock = new();

    public ChildProcess(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["PYTHONUNBUFFERED"] = "1";
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_lock) return _output.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_lock)
        {
            _output.AppendLine(line);
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Waits (bounded) for output matching <paramref name="pattern"/> and returns its first group.</summary>
    public string WaitFor(string pattern)
    {
        var regex = new Regex(pattern);
        var until = DateTime.UtcNow + LoopbackServer.Deadline;
        lock (_lock)
        {
            while (true)
            {
                var match = regex.Match(_output.ToString());
                if (match.Success) return match.Groups[1].Value;
                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || _process.HasExited && !Monitor.Wait(_lock, 200))
                {
                    Assert.Fail($"'{pattern}' did not appear in the output of {_process.StartInfo.FileName}:\n{_output}");
                }
                Monitor.Wait(_lock, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
