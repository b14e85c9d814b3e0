using System.Net;
using Reactor.Defer;

namespace Reactor.Net.Group;

/// <summary>
/// A <see cref="ReactorGroup"/> listener: one part per loop (a listening socket, or a hand-off
/// receiver), each stopped on its own loop's thread.
/// </summary>
internal sealed class GroupListeningPort : IListeningPort
{
    private readonly ReactorGroup _group;
    private readonly EndPoint _address;
    private readonly Func<Deferred<object?>>[] _stops;
    private Deferred<object?>? _stopped;

    /// <summary>
    /// Creates the listener bound to <paramref name="address"/>; <paramref name="stops"/>[i] stops the
    /// part on loop i (and runs on that loop's thread).
    /// </summary>
    public GroupListeningPort(ReactorGroup group, EndPoint address, Func<Deferred<object?>>[] stops)
    {
        _group = group;
        _address = address;
        _stops = stops;
    }

    /// <inheritdoc/>
    public EndPoint GetHost() => _address;

    /// <inheritdoc/>
    /// <remarks>
    /// Callable from any thread. While the group runs, each loop stops its own part and the result
    /// fires on the first loop's thread once all have (call it there, through CallFromThread, to add
    /// callbacks without racing the firing); otherwise every part stops at once.
    /// </remarks>
    public Deferred<object?> StopListening()
    {
        lock (_stops)
        {
            if (_stopped is not null) return _stopped;
            _stopped = new Deferred<object?>();
        }
        if (!_group.Running)
        {
            foreach (var stop in _stops) stop();
            _stopped.Callback(null);
            return _stopped;
        }
        var remaining = _stops.Length;
        var home = _group.Loops[0];
        var stopped = _stopped;
        for (var i = 0; i < _stops.Length; i++)
        {
            var stop = _stops[i];
            _group.Loops[i].CallFromThread(() => stop().AddBoth(() =>
            {
                if (Interlocked.Decrement(ref remaining) == 0) home.CallFromThread(() => stopped.Callback(null));
            }));
        }
        return stopped;
    }

    /// <inheritdoc/>
    public override string ToString() => $"GroupListeningPort({_address}, {_stops.Length} loops)";
}
