using System.Globalization;

namespace Reactor.Hosting;

/// <summary>
/// The sockets systemd passed to this process (socket activation, <c>sd_listen_fds(3)</c>):
/// descriptors 3, 4, … as many as <c>LISTEN_FDS</c> says, if <c>LISTEN_PID</c> is this process,
/// named by <c>LISTEN_FDNAMES</c> (colon-separated; systemd's default name is <c>unknown</c>).
/// </summary>
/// <remarks>
/// Read once per process and never consumed twice: after reading, the variables are removed from
/// this process's environment (as <c>sd_listen_fds(1)</c>), so a child process does not think the
/// sockets are its own.
/// </remarks>
public sealed class SystemdSockets
{
    /// <summary>The first descriptor systemd passes (<c>SD_LISTEN_FDS_START</c>).</summary>
    public const int ListenFdsStart = 3;

    private static readonly Lock Gate = new();
    private static SystemdSockets? _fromEnvironment;
    private readonly int[] _descriptors;
    private readonly string[] _names;

    private SystemdSockets(int[] descriptors, string[] names)
    {
        _descriptors = descriptors;
        _names = names;
    }

    /// <summary>No sockets (not started by systemd).</summary>
    public static SystemdSockets None { get; } = new([], []);

    /// <summary>The passed descriptors, in order.</summary>
    public IReadOnlyList<int> Descriptors => _descriptors;

    /// <summary>The name of each descriptor (same order).</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The sockets passed to this process, read from its environment on first use.</summary>
    public static SystemdSockets FromEnvironment()
    {
        lock (Gate)
        {
            if (_fromEnvironment is not null) return _fromEnvironment;
            _fromEnvironment = Parse(
                Environment.GetEnvironmentVariable("LISTEN_FDS"),
                Environment.GetEnvironmentVariable("LISTEN_PID"),
                Environment.GetEnvironmentVariable("LISTEN_FDNAMES"),
                Environment.ProcessId);
            Environment.SetEnvironmentVariable("LISTEN_FDS", null);
            Environment.SetEnvironmentVariable("LISTEN_PID", null);
            Environment.SetEnvironmentVariable("LISTEN_FDNAMES", null);
            return _fromEnvironment;
        }
    }

    /// <summary>
    /// Interprets the three variables for process <paramref name="processId"/>: nothing unless
    /// <paramref name="listenPid"/> names it; descriptors from <paramref name="firstDescriptor"/> on.
    /// </summary>
    /// <exception cref="FormatException">LISTEN_FDS or LISTEN_PID is not a number.</exception>
    public static SystemdSockets Parse(string? listenFds, string? listenPid, string? listenFdNames, int processId, int firstDescriptor = ListenFdsStart)
    {
        if (string.IsNullOrEmpty(listenFds) || string.IsNullOrEmpty(listenPid)) return None;
        if (!int.TryParse(listenPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            throw new FormatException($"LISTEN_PID is '{listenPid}', not a process id.");
        }
        if (pid != processId) return None; // meant for another process (our parent, say)
        if (!int.TryParse(listenFds, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new FormatException($"LISTEN_FDS is '{listenFds}', not a count of descriptors.");
        }
        var names = string.IsNullOrEmpty(listenFdNames) ? [] : listenFdNames.Split(':');
        var descriptors = new int[count];
        var named = new string[count];
        for (var i = 0; i < count; i++)
        {
            descriptors[i] = firstDescriptor + i;
            named[i] = i < names.Length && names[i].Length > 0 ? names[i] : "unknown";
        }
        return new SystemdSockets(descriptors, named);
    }

    /// <summary>The descriptor at <paramref name="index"/> (0-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException">systemd passed fewer sockets.</exception>
    public int ByIndex(int index)
    {
        if (index < 0 || index >= _descriptors.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"systemd passed {_descriptors.Length} socket(s) (LISTEN_FDS); there is no index {index}.");
        }
        return _descriptors[index];
    }

    /// <summary>The first descriptor named <paramref name="name"/> (FileDescriptorName= in the .socket unit).</summary>
    /// <exception cref="KeyNotFoundException">No passed socket has that name.</exception>
    public int ByName(string name)
    {
        var i = Array.IndexOf(_names, name);
        if (i < 0)
        {
            throw new KeyNotFoundException(
                $"systemd passed no socket named '{name}' (LISTEN_FDNAMES: {(_names.Length == 0 ? "none" : string.Join(", ", _names))}).");
        }
        return _descriptors[i];
    }
}
