using System.Text;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Defer;
using Reactor.Net.Processes;
using Reactor.Tests.Core;

namespace Reactor.Tests.Net.Processes;

/// <summary>A process protocol that records every callback, in order.</summary>
internal class RecordingProcessProtocol : ProcessProtocol
{
    public readonly List<string> Events = new();
    public readonly Dictionary<int, MemoryStream> Received = new();
    public Failure? ExitedReason;
    public Failure? EndedReason;

    public bool IsEnded => EndedReason is not null;

    public string Text(int childFd) => Received.TryGetValue(childFd, out var s) ? Encoding.UTF8.GetString(s.ToArray()) : "";

    public override void ConnectionMade() => Events.Add("ConnectionMade");

    public override void ChildDataReceived(int childFd, ReadOnlySpan<byte> data)
    {
        if (!Received.TryGetValue(childFd, out var stream)) Received[childFd] = stream = new MemoryStream();
        stream.Write(data);
        base.ChildDataReceived(childFd, data);
    }

    public override void ChildConnectionLost(int childFd)
    {
        Events.Add($"ChildConnectionLost({childFd})");
        base.ChildConnectionLost(childFd);
    }

    public override void InConnectionLost() => Events.Add("InConnectionLost");

    public override void OutConnectionLost() => Events.Add("OutConnectionLost");

    public override void ErrConnectionLost() => Events.Add("ErrConnectionLost");

    public override void ProcessExited(Failure reason)
    {
        Events.Add("ProcessExited");
        ExitedReason = reason;
    }

    public override void ProcessEnded(Failure reason)
    {
        Events.Add("ProcessEnded");
        EndedReason = reason;
    }
}

internal static class ProcessTesting
{
    public static ReactorLoop CreateReactor(CapturingLogger logger, Reactor.Selectors.SelectorKind? kind = null) =>
        ReactorLoop.Create(new ReactorOptions { Logger = logger, Selector = kind });

    /// <summary>The state letter and parent pid of <paramref name="pid"/> from /proc, or null when it no longer exists.</summary>
    public static (char State, int ParentPid)? ProcState(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // "pid (comm) S ppid ...": comm may hold spaces and parentheses; the last ')' ends it.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (rest[0][0], int.Parse(rest[1]));
    }

    /// <summary>True when <paramref name="pid"/> is a zombie child of this process.</summary>
    public static bool IsOurZombie(int pid) => ProcState(pid) is { State: 'Z' } s && s.ParentPid == Environment.ProcessId;

    /// <summary>How many descriptors this process has open.</summary>
    /// <summary>
    /// The descriptors the process holds open, except the assembly files the runtime maps as it loads
    /// them: a load can happen on another thread in the middle of a test (one test alone in a fresh
    /// test process saw System.Security.Cryptography.dll opened twice), and it is not a leak.
    /// </summary>
    public static int OpenDescriptorCount() =>
        Directory.GetFiles("/proc/self/fd").Count(fd => !(LinkTarget(fd)?.EndsWith(".dll", StringComparison.Ordinal) ?? false));

    private static string? LinkTarget(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed while listed (the listing's own descriptor, or another thread's)
        }
    }

    public static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("These process tests read /proc and run Linux programs.");
    }
}
