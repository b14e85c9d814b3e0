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
/// <para>A state whose byte count is above <see cref="MaxLength"/> (a count read from the peer,
/// say) is never buffered: when bytes arrive for it, <see cref="LengthLimitExceeded"/> is called
/// (default: close the connection) and everything the connection receives after that is
/// dropped. Twisted's StatefulProtocol has no such limit.</para>
/// </remarks>
public abstract class StatefulProtocol : Protocol, IReceiveLoop
{
    private readonly ReceiveBuffer _buffer = new();
    private ProtocolState _state;
    private int _maxLength = DefaultMaxLength;
    private bool _overLimit;

    /// <summary>The default <see cref="MaxLength"/>: 99,999 bytes, as <see cref="IntNStringReceiver"/>.</summary>
    public const int DefaultMaxLength = 99999;

    /// <summary>The largest state byte count accepted. Defaults to <see cref="DefaultMaxLength"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxLength
    {
        get => _maxLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxLength));
            _maxLength = value;
        }
    }

    /// <summary>
    /// Called, once, when bytes arrive for a state whose byte count is above
    /// <see cref="MaxLength"/>, before any of them is buffered. The default closes the connection;
    /// either way the connection's further input is dropped.
    /// </summary>
    /// <param name="byteCount">The state's byte count.</param>
    public virtual void LengthLimitExceeded(int byteCount) => Transport.LoseConnection();

    /// <summary>Bytes received and held for the current state (for tests and diagnostics).</summary>
    internal int BufferedBytes => _buffer.HeadLength;

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
            if (_overLimit)
            {
                _buffer.DiscardAll();
                return;
            }
            var state = _state;
            if (state.Handler is null) throw new InvalidOperationException("StatefulProtocol received data before MakeConnection.");
            if (state.ByteCount > _maxLength)
            {
                if (_buffer.TotalLength == 0) return;
                _overLimit = true;
                _buffer.DiscardAll();
                LengthLimitExceeded(state.ByteCount);
                return;
            }
            _buffer.CapacityLimit = state.ByteCount;
            if (!FrameAssembly.TryTake(_buffer, state.ByteCount, out var chunk)) return;
            var next = state.Handler(chunk);
            if (TransportOrNull?.Disconnecting == true) return;
            if (next is { } nextState) _state = nextState;
        }
    }
}
