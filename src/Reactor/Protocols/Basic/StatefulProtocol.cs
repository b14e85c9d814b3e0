using Reactor.Protocols.Basic.Internal;

namespace Reactor.Protocols.Basic;

/// <summary>
/// Handles the next <see cref="ProtocolState.ByteCount"/> bytes of a <see cref="StatefulProtocol"/>
/// and returns the state to move to, or null to stay in the current one. The span is only
/// valid during the call.
/// </summary>
public delegate ProtocolState? StateHandler(ReadOnlySpan<byte> data);

/// <summary>A state of a <see cref="StatefulProtocol"/>: how many bytes to wait for, and who gets them.</summary>
public readonly record struct ProtocolState
{
    /// <summary>Creates a state that hands the next <paramref name="byteCount"/> bytes to <paramref name="handler"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="byteCount"/> is less than 1.</exception>
    public ProtocolState(StateHandler handler, int byteCount)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(byteCount, 1);
        Handler = handler;
        ByteCount = byteCount;
    }

    /// <summary>Who gets the bytes.</summary>
    public StateHandler Handler { get; }

    /// <summary>How many bytes the handler gets at once.</summary>
    public int ByteCount { get; }
}

/// <summary>
/// A protocol driven by a sequence of states, each waiting for a number of bytes (Twisted's
/// <c>twisted.protocols.stateful.StatefulProtocol</c>): override <see cref="GetInitialState"/>;
/// each handler returns the next state (or null to keep the current one).
/// </summary>
/// <remarks>
/// Bytes lying whole in a read are handed over without copying; an unfinished chunk is copied
/// into a buffer of at most the current state's byte count. Cache handler delegates in fields
/// to keep state changes allocation-free. Delivery stops once the transport is disconnecting.
/// </remarks>
public abstract class StatefulProtocol : Protocol, IReceiveLoop
{
    private readonly ReceiveBuffer _buffer = new();
    private ProtocolState _state;

    /// <summary>The state the protocol is in.</summary>
    public ProtocolState State => _state;

    /// <summary>The state to start in, asked once per connection.</summary>
    protected abstract ProtocolState GetInitialState();

    /// <inheritdoc/>
    public override void MakeConnection(ITransport transport)
    {
        _state = GetInitialState();
        base.MakeConnection(transport);
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => _buffer.Receive(data, this);

    void IReceiveLoop.ProcessReceived()
    {
        while (true)
        {
            var state = _state;
            if (state.Handler is null) throw new InvalidOperationException("StatefulProtocol received data before MakeConnection.");
            _buffer.CapacityLimit = state.ByteCount;
            if (!FrameAssembly.TryTake(_buffer, state.ByteCount, out var chunk)) return;
            var next = state.Handler(chunk);
            if (TransportOrNull?.Disconnecting == true) return;
            if (next is { } nextState) _state = nextState;
        }
    }
}
