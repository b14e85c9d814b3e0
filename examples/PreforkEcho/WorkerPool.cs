using System.Reflection;
using System.Text;
using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Processes;

namespace Reactor.Examples.PreforkEcho;

/// <summary>
/// The parent's side: starts the workers with SpawnProcess (the listening socket as their
/// descriptor 3, their stderr shared with ours, their stdout a pipe whose lines are relayed to our
/// stderr), restarts one that dies, and stops them all at shutdown.
/// </summary>
sealed class WorkerPool(ReactorLoop reactor, int listeningFd, int count, IReadOnlyList<string> workerArgs)
{
    /// <summary>A worker that dies this soon after starting is restarted after a pause, not at once (no crash loop).</summary>
    private static readonly TimeSpan QuickDeath = TimeSpan.FromSeconds(1);

    private readonly WorkerProtocol?[] _workers = new WorkerProtocol?[count];
    private bool _stopping;
    private Deferred<object?>? _allStopped;

    public void StartAll()
    {
        for (var i = 0; i < count; i++) Start(i);
    }

    private void Start(int index)
    {
        if (_stopping) return;
        var (executable, argv) = SelfCommand();
        var protocol = new WorkerProtocol(this, index, reactor.Now);
        _workers[index] = protocol;
        try
        {
            var transport = reactor.SpawnProcess(protocol, executable, [.. argv, .. workerArgs], childFds: new Dictionary<int, ChildFd>
            {
                [1] = ChildFd.ReadFromChild,
                [2] = ChildFd.Inherit(2),
                [3] = ChildFd.Inherit(listeningFd),
            });
            Console.Error.WriteLine($"worker {index} started (pid {transport.Pid})");
        }
        catch (ProcessSpawnError error)
        {
            _workers[index] = null;
            Console.Error.WriteLine($"worker {index} cannot start: {error.Message}; retrying in {QuickDeath.TotalSeconds} s");
            reactor.CallLater(QuickDeath, () => Start(index));
        }
    }

    /// <summary>How to run this program again: the apphost or native binary itself, or "dotnet PreforkEcho.dll".</summary>
    private static (string Executable, List<string> Argv) SelfCommand()
    {
        var process = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            var assembly = Assembly.GetEntryAssembly()!.Location;
            return (process, [process, assembly]);
        }
        return (process, [process]);
    }

    internal void Ended(WorkerProtocol worker, Failure reason)
    {
        if (!ReferenceEquals(_workers[worker.Index], worker)) return;
        _workers[worker.Index] = null;
        if (_stopping)
        {
            if (_workers.All(w => w is null)) _allStopped?.Callback(null);
            return;
        }
        var quick = reactor.Now - worker.StartedAt < QuickDeath;
        Console.Error.WriteLine($"worker {worker.Index} (pid {worker.Pid}) ended: {reason.Value.Message} Restarting it{(quick ? $" in {QuickDeath.TotalSeconds} s" : "")}.");
        if (quick) reactor.CallLater(QuickDeath, () => Start(worker.Index));
        else Start(worker.Index);
    }

    /// <summary>TERM every worker; the Deferred fires once all have ended.</summary>
    public Deferred<object?>? StopAll()
    {
        _stopping = true;
        var running = _workers.Where(w => w is not null).ToList();
        if (running.Count == 0) return null;
        _allStopped = new Deferred<object?>();
        foreach (var worker in running)
        {
            try
            {
                worker!.Transport.SignalProcess("TERM");
            }
            catch (ProcessExitedAlready)
            {
                // Reaped on its way: Ended will count it.
            }
        }
        return _allStopped;
    }
}

/// <summary>One worker as the parent sees it: relays its stdout lines to our stderr, with its number and pid.</summary>
sealed class WorkerProtocol(WorkerPool pool, int index, TimeSpan startedAt) : ProcessProtocol
{
    private readonly StringBuilder _line = new();

    public int Index => index;

    public TimeSpan StartedAt => startedAt;

    public int? Pid { get; private set; }

    public override void ConnectionMade() => Pid = Transport.Pid;

    public override void OutReceived(ReadOnlySpan<byte> data)
    {
        _line.Append(Encoding.UTF8.GetString(data));
        int end;
        while ((end = _line.ToString().IndexOf('\n')) >= 0)
        {
            Console.Error.WriteLine($"worker {index} (pid {Pid}): {_line.ToString(0, end)}");
            _line.Remove(0, end + 1);
        }
    }

    public override void ProcessEnded(Failure reason) => pool.Ended(this, reason);
}
