using Reactor.Protocols;
using Reactor.Protocols.Basic;
using Reactor.Time;

namespace Reactor.Examples.FramedEcho;

/// <summary>Builds the echoing receiver for a framing; every receiver sends each frame back as one frame.</summary>
/// <remarks>
/// A frame over the limit closes the connection with a lingering close: the echoes already queued
/// reach the client even while it is still sending the oversized frame (a plain close would answer
/// its further bytes with RST and could lose them).
/// </remarks>
internal static class EchoReceivers
{
    public static IProtocol Create(Framing framing, int? maxLength, IReactorTime clock, LineDelimiter delimiter = LineDelimiter.Crlf) => framing.Kind switch
    {
        FramingKind.Line => Limit(delimiter == LineDelimiter.Lf ? new LfLineEcho(clock) : new LineEcho(clock), maxLength),
        FramingKind.Int8 => Limit(new Int8Echo(clock), maxLength),
        FramingKind.Int16 => Limit(new Int16Echo(clock), maxLength),
        FramingKind.Int32 => Limit(new Int32Echo(clock), maxLength),
        FramingKind.Netstring => Limit(new NetstringEcho(clock), maxLength),
        _ => new FixedEcho(framing.FixedLength),
    };

    private static IProtocol Limit(LineReceiver r, int? max)
    {
        if (max is { } m) r.MaxLength = m;
        return r;
    }

    private static IProtocol Limit(IntNStringReceiver r, int? max)
    {
        if (max is { } m) r.MaxLength = m;
        return r;
    }

    private static IProtocol Limit(NetstringReceiver r, int? max)
    {
        if (max is { } m) r.MaxLength = m;
        return r;
    }

    /// <summary>Twisted's LineReceiver as it is: CRLF-delimited lines, each sent back with CRLF.</summary>
    private class LineEcho(IReactorTime clock) : LineReceiver
    {
        public override void LineReceived(ReadOnlySpan<byte> line) => SendLine(line);

        public override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            Console.Error.WriteLine($"FramedEcho: a line longer than {MaxLength} bytes from {Transport.GetPeer()}: closing that connection");
            Transport.LoseConnectionLingering(clock);
        }
    }

    /// <summary>--delimiter lf: LF-delimited lines; a CR before the LF is part of the line, so a CRLF client still gets CRLF back.</summary>
    private sealed class LfLineEcho : LineEcho
    {
        public LfLineEcho(IReactorTime clock)
            : base(clock) => Delimiter = "\n"u8;
    }

    private sealed class Int8Echo(IReactorTime clock) : Int8StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => SendString(data);

        public override void LengthLimitExceeded(long length) => LengthNotice.Report(this, length, MaxLength, clock);
    }

    private sealed class Int16Echo(IReactorTime clock) : Int16StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => SendString(data);

        public override void LengthLimitExceeded(long length) => LengthNotice.Report(this, length, MaxLength, clock);
    }

    private sealed class Int32Echo(IReactorTime clock) : Int32StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => SendString(data);

        public override void LengthLimitExceeded(long length) => LengthNotice.Report(this, length, MaxLength, clock);
    }

    private static class LengthNotice
    {
        public static void Report(Protocol p, long length, int max, IReactorTime clock)
        {
            Console.Error.WriteLine($"FramedEcho: a {length}-byte frame (limit {max}) from {p.Transport.GetPeer()}: closing that connection");
            p.Transport.LoseConnectionLingering(clock);
        }
    }

    private sealed class NetstringEcho(IReactorTime clock) : NetstringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => SendString(data);

        protected override void HandleParseError(NetstringParseError error)
        {
            Console.Error.WriteLine($"FramedEcho: malformed netstring from {Transport.GetPeer()} ({error.Kind}: {error.Message}): closing that connection");
            Transport.LoseConnectionLingering(clock);
        }
    }

    private sealed class FixedEcho(int length) : FixedLengthReceiver(length)
    {
        public override void FrameReceived(ReadOnlySpan<byte> frame) => SendFrame(frame);
    }
}
