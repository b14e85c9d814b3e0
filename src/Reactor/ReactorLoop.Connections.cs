using Reactor.Core;
using Reactor.Defer;

namespace Reactor;

public sealed partial class ReactorLoop
{
    // Every live stream connection. The selector's table only holds descriptors it watches, and a
    // transport its protocol paused (or one waiting on a peer) is watched for nothing: without this
    // set, shutdown and Dispose would leave its socket open and its protocol never told (issue 12).
    private readonly HashSet<IFileDescriptor> _connections = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many stream connections are live (tests).</summary>
    internal int LiveConnections => _connections.Count;

    void Net.Internal.ITransportHost.ConnectionStarted(IFileDescriptor connection) => _connections.Add(connection);

    void Net.Internal.ITransportHost.ConnectionEnded(IFileDescriptor connection) => _connections.Remove(connection);

    /// <summary>Tells the connections no registration held (paused, detached) that they are lost.</summary>
    private void DisconnectUnregistered(Failure failure)
    {
        if (_connections.Count == 0) return;
        // Copied: each ConnectionLost removes itself from the set.
        foreach (var connection in _connections.ToArray()) NotifyLost(connection, failure);
        _connections.Clear();
    }
}
