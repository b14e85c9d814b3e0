using System.Text;
using Reactor.Protocols;
using Reactor.Protocols.Basic;

namespace Reactor.Fuzz.Targets;

/// <summary>
/// LineReceiver with a small MaxLength. A line "raw N" switches to raw mode for N bytes (then back
/// to line mode with the rest), a line "pause" pauses delivery: both must give the same result
/// however the stream is cut.
/// </summary>
public sealed class LineReceiverTarget : StreamTarget
{
    /// <summary>The limit the receiver runs with: small, so the fuzzer reaches it.</summary>
    public const int MaxLength = 64;

    /// <inheritdoc/>
    public override string Name => "line";

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log) => new Receiver(log) { MaxLength = MaxLength };

    /// <inheritdoc/>
    protected override bool IsPaused(Protocol protocol) => ((LineReceiver)protocol).Paused;

    /// <inheritdoc/>
    protected override void CheckBounds(Protocol protocol, int longestRead)
    {
        var capacity = ((LineReceiver)protocol).BufferCapacity;
        if (capacity > 2 * (MaxLength + 16 + longestRead)) throw new FuzzFinding($"line: the buffer grew to {capacity} bytes with MaxLength {MaxLength}");
    }

    private sealed class Receiver(EventLog log) : LineReceiver
    {
        private int _rawLeft;

        public override void LineReceived(ReadOnlySpan<byte> line)
        {
            if (line.Length > MaxLength) throw new FuzzFinding($"line: a {line.Length}-byte line was delivered with MaxLength {MaxLength}");
            log.Add("line", line);
            var text = Encoding.ASCII.GetString(line);
            if (text == "pause") PauseProducing();
            else if (text.StartsWith("raw ", StringComparison.Ordinal) && int.TryParse(text.AsSpan(4), out var n) && n is > 0 and < 1000)
            {
                _rawLeft = n;
                SetRawMode();
            }
        }

        public override void RawDataReceived(ReadOnlySpan<byte> data)
        {
            var take = Math.Min(_rawLeft, data.Length);
            log.AddRaw(data[..take]);
            _rawLeft -= take;
            if (_rawLeft == 0) SetLineMode(data[take..]);
        }

        public override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            log.Add("too-long");
            base.LineLengthExceeded(line);
        }
    }
}

/// <summary>LineOnlyReceiver with a small MaxLength and a two-byte delimiter.</summary>
public sealed class LineOnlyReceiverTarget : StreamTarget
{
    /// <inheritdoc/>
    public override string Name => "lineonly";

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log) => new Receiver(log) { MaxLength = 64, Delimiter = "\r\n"u8 };

    private sealed class Receiver(EventLog log) : LineOnlyReceiver
    {
        public override void LineReceived(ReadOnlySpan<byte> line)
        {
            if (line.Length > MaxLength) throw new FuzzFinding($"lineonly: a {line.Length}-byte line was delivered with MaxLength {MaxLength}");
            log.Add("line", line);
        }

        public override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            log.Add("too-long");
            base.LineLengthExceeded(line);
        }
    }
}

/// <summary>Int8/16/32StringReceiver with MaxLength 100; a string "p" pauses delivery.</summary>
public sealed class IntNStringReceiverTarget(int prefixLength) : StreamTarget
{
    /// <inheritdoc/>
    public override string Name => "int" + (prefixLength * 8);

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log) => prefixLength switch
    {
        1 => new Int8(log) { MaxLength = 100 },
        2 => new Int16(log) { MaxLength = 100 },
        _ => new Int32(log) { MaxLength = 100 },
    };

    /// <inheritdoc/>
    protected override bool IsPaused(Protocol protocol) => ((IntNStringReceiver)protocol).Paused;

    /// <inheritdoc/>
    protected override void CheckBounds(Protocol protocol, int longestRead)
    {
        var receiver = (IntNStringReceiver)protocol;
        if (receiver.BufferCapacity > 2 * (receiver.MaxLength + 16 + longestRead)) throw new FuzzFinding($"{Name}: the buffer grew to {receiver.BufferCapacity} bytes");
    }

    private static void Deliver(IntNStringReceiver receiver, EventLog log, ReadOnlySpan<byte> data)
    {
        if (data.Length > receiver.MaxLength) throw new FuzzFinding($"a {data.Length}-byte string was delivered with MaxLength {receiver.MaxLength}");
        log.Add("string", data);
        if (data.SequenceEqual("p"u8)) receiver.PauseProducing();
    }

    private sealed class Int8(EventLog log) : Int8StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => Deliver(this, log, data);

        public override void LengthLimitExceeded(long length)
        {
            log.Add("too-long:" + length);
            base.LengthLimitExceeded(length);
        }
    }

    private sealed class Int16(EventLog log) : Int16StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => Deliver(this, log, data);

        public override void LengthLimitExceeded(long length)
        {
            log.Add("too-long:" + length);
            base.LengthLimitExceeded(length);
        }
    }

    private sealed class Int32(EventLog log) : Int32StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => Deliver(this, log, data);

        public override void LengthLimitExceeded(long length)
        {
            log.Add("too-long:" + length);
            base.LengthLimitExceeded(length);
        }
    }
}

/// <summary>NetstringReceiver with MaxLength 100: strings, parse errors and the close they cause.</summary>
public sealed class NetstringReceiverTarget : StreamTarget
{
    /// <inheritdoc/>
    public override string Name => "netstring";

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log) => new Receiver(log) { MaxLength = 100 };

    private sealed class Receiver(EventLog log) : NetstringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data)
        {
            if (data.Length > MaxLength) throw new FuzzFinding($"netstring: a {data.Length}-byte string was delivered with MaxLength {MaxLength}");
            log.Add("string", data);
        }

        protected override void HandleParseError(NetstringParseError error)
        {
            log.Add("parse-error");
            base.HandleParseError(error);
        }
    }
}

/// <summary>FixedLengthReceiver with 5-byte frames; a frame "ppppp" pauses delivery.</summary>
public sealed class FixedLengthReceiverTarget : StreamTarget
{
    /// <inheritdoc/>
    public override string Name => "fixed";

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log) => new Receiver(log);

    /// <inheritdoc/>
    protected override bool IsPaused(Protocol protocol) => ((FixedLengthReceiver)protocol).Paused;

    private sealed class Receiver(EventLog log) : FixedLengthReceiver(5)
    {
        public override void FrameReceived(ReadOnlySpan<byte> frame)
        {
            if (frame.Length != 5) throw new FuzzFinding($"fixed: a {frame.Length}-byte frame was delivered for 5-byte frames");
            log.Add("frame", frame);
            if (frame.SequenceEqual("ppppp"u8)) PauseProducing();
        }
    }
}

/// <summary>
/// StatefulProtocol whose states come from the data: a one-byte header says how many bytes the
/// next state takes (1–40); a header of 0xFF asks for more than the protocol's maximum.
/// </summary>
public sealed class StatefulProtocolTarget : StreamTarget
{
    /// <inheritdoc/>
    public override string Name => "stateful";

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log) => new Receiver(log);

    private sealed class Receiver : StatefulProtocol
    {
        private readonly EventLog _log;
        private readonly StateHandler _header;
        private readonly StateHandler _body;

        public Receiver(EventLog log)
        {
            _log = log;
            _header = Header;
            _body = Body;
        }

        protected override ProtocolState GetInitialState() => new(_header, 1);

        private ProtocolState? Header(ReadOnlySpan<byte> data)
        {
            _log.Add("header", data);
            return new ProtocolState(_body, data[0] == 0xFF ? 1 << 20 : 1 + data[0] % 40);
        }

        private ProtocolState? Body(ReadOnlySpan<byte> data)
        {
            _log.Add("body", data);
            return new ProtocolState(_header, 1);
        }

        public override void LengthLimitExceeded(int byteCount)
        {
            _log.Add("limit", BitConverter.GetBytes(byteCount));
            base.LengthLimitExceeded(byteCount);
        }
    }
}
