using System.Collections;
using Reactor.Native;
using Reactor.Net.Internal;

namespace Reactor.Net.Processes.Internal;

/// <summary>
/// Turns a <c>SpawnProcess</c> call into a running child: checks the arguments, finds the
/// executable, makes the pipes (our ends non-blocking, the child's blocking), copies every
/// descriptor the child gets above the highest target number (so posix_spawn's dup2 actions never
/// overwrite a source), spawns, closes the child's ends here, and attaches the exit watcher.
/// </summary>
internal static class ProcessSpawner
{
    /// <summary>Spawns the child and returns its started transport; throws a <see cref="ProcessSpawnError"/> when it cannot start.</summary>
    public static ProcessTransport Spawn(
        ITransportHost host,
        IProcessSyscalls process,
        Func<int, Action<ChildExitStatus?, Errno>, IExitWatcher> watchExit,
        IProcessProtocol protocol,
        string executable,
        IReadOnlyList<string>? argv,
        IReadOnlyDictionary<string, string>? environment,
        string? workingDirectory,
        int? uid,
        int? gid,
        bool usePty,
        IReadOnlyDictionary<int, ChildFd>? childFds)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentException.ThrowIfNullOrEmpty(executable);
        if (usePty && childFds is not null) throw new ArgumentException("A child on a pseudo-terminal has exactly its terminal as 0, 1 and 2: childFds must be null with usePty.", nameof(childFds));
        var map = childFds ?? ChildFd.Default;
        foreach (var (target, _) in map)
        {
            if (target < 0) throw new ArgumentOutOfRangeException(nameof(childFds), target, "A child descriptor number must be 0 or more.");
        }
        if (argv is not null && argv.Count == 0) throw new ArgumentException("argv must hold at least argv[0] (or be null for [executable]).", nameof(argv));

        var env = EnvironmentStrings(environment);
        var path = Resolve(process, executable, environment);
        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
        {
            throw new ProcessSpawnError($"The working directory '{workingDirectory}' does not exist.", Errno.ENOENT.Value);
        }

        var files = host.Syscalls;
        var parentEnds = new List<(int Fd, int ChildFd, bool Reads)>();
        var toClose = new List<int>();
        var sources = new List<(int Source, int Target)>();
        string? terminal = null;
        try
        {
            if (usePty)
            {
                if (process.OpenPseudoTerminal(out var master, out terminal, out var ptyError) < 0) throw Failed("Opening a pseudo-terminal", ptyError);
                parentEnds.Add((master, 1, true));
                var writeSide = process.DuplicateAbove(master, 3, out var dupError);
                if (writeSide < 0) throw Failed("Duplicating the terminal", dupError);
                parentEnds.Add((writeSide, 0, false));
            }
            else
            {
                int above = map.Count == 0 ? 3 : Math.Max(3, map.Keys.Max() + 1);
                foreach (var (target, kind) in map)
                {
                    int childEnd;
                    if (kind.Kind == ChildFdKind.Inherit)
                    {
                        childEnd = kind.ParentFd;
                    }
                    else
                    {
                        if (files.CreatePipe(out var readEnd, out var writeEnd, out var pipeError) < 0) throw Failed("Creating a pipe", pipeError);
                        bool weRead = kind.Kind == ChildFdKind.ReadFromChild;
                        parentEnds.Add((weRead ? readEnd : writeEnd, target, weRead));
                        childEnd = weRead ? writeEnd : readEnd;
                        toClose.Add(childEnd);
                        // The child's end blocks, as programs expect of their stdin and stdout.
                        files.SetNonBlocking(childEnd, false, out _);
                    }
                    var source = process.DuplicateAbove(childEnd, above, out var error);
                    if (source < 0) throw Failed($"Copying descriptor {childEnd} for the child's {target}", error);
                    toClose.Add(source);
                    sources.Add((source, target));
                }
            }

            var request = new SpawnRequest
            {
                Path = path,
                Argv = argv ?? [executable],
                Environment = env,
                WorkingDirectory = workingDirectory,
                Descriptors = sources,
                TerminalPath = terminal,
                UserId = uid,
                GroupId = gid,
            };
            if (process.Spawn(request, out var pid, out var spawnError) < 0)
            {
                if (spawnError == Errno.ENOENT || spawnError == Errno.EACCES)
                {
                    throw new ExecutableNotFoundError(executable, $"Cannot execute '{path}': {spawnError.Message}.", spawnError.Value);
                }
                if (spawnError == Errno.EPERM && (uid is not null || gid is not null))
                {
                    throw new ProcessSpawnError($"Running the child as uid {uid?.ToString() ?? "-"} / gid {gid?.ToString() ?? "-"} needs root or CAP_SETUID/CAP_SETGID.", spawnError.Value);
                }
                throw Failed($"Spawning '{path}'", spawnError);
            }
            foreach (var fd in toClose) files.Close(fd, out _);
            toClose.Clear();

            var transport = new ProcessTransport(host, process, protocol, pid, usePty);
            foreach (var (fd, childFd, reads) in parentEnds)
            {
                if (reads) transport.AddReader(fd, childFd);
                else transport.AddWriter(fd, childFd);
            }
            parentEnds.Clear();
            transport.SetExitWatcher(watchExit(pid, transport.Reaped));
            transport.Start();
            return transport;
        }
        finally
        {
            foreach (var fd in toClose) files.Close(fd, out _);
            foreach (var (fd, _, _) in parentEnds) files.Close(fd, out _);
        }
    }

    private static ProcessSpawnError Failed(string what, Errno errno) => new($"{what} failed: {errno.Message} ({errno}).", errno.Value);

    /// <summary>The child's environment as "NAME=value" strings: the given one, or ours.</summary>
    private static List<string> EnvironmentStrings(IReadOnlyDictionary<string, string>? environment)
    {
        var result = new List<string>();
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('=') || name.Contains('\0') || value.Contains('\0'))
                {
                    throw new ArgumentException($"'{name}' is not a valid environment variable name (or its value holds a NUL).", nameof(environment));
                }
                result.Add($"{name}={value}");
            }
            return result;
        }
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            result.Add($"{entry.Key}={entry.Value}");
        }
        return result;
    }

    /// <summary>
    /// A name with a '/' is used as it is; any other is looked up in the PATH of the child's
    /// environment (ours when it has none), as execvpe and Twisted do.
    /// </summary>
    private static string Resolve(IProcessSyscalls process, string executable, IReadOnlyDictionary<string, string>? environment)
    {
        if (executable.Contains('/'))
        {
            if (File.Exists(executable) && process.IsExecutable(executable)) return executable;
            var why = File.Exists(executable) ? "is not executable" : "does not exist";
            throw new ExecutableNotFoundError(executable, $"Cannot spawn '{executable}': the file {why}.", File.Exists(executable) ? Errno.EACCES.Value : Errno.ENOENT.Value);
        }
        string? searchPath = null;
        if (environment is not null) environment.TryGetValue("PATH", out searchPath);
        searchPath ??= System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in searchPath.Split(':'))
        {
            var candidate = Path.Combine(directory.Length == 0 ? "." : directory, executable);
            if (File.Exists(candidate) && process.IsExecutable(candidate)) return candidate;
        }
        throw new ExecutableNotFoundError(executable, $"Cannot spawn '{executable}': no executable of that name in PATH ({searchPath}).", Errno.ENOENT.Value);
    }
}
