using Reactor.Protocols;
using Reactor.Protocols.Basic;

namespace Reactor.Examples.FramedEcho;

/// <summary>Builds the echoing receiver for a framing; every receiver sends each frame back as one frame.</summary>
internal static class EchoReceivers
{
    public static IProtocol Create(Framing framing, int? maxLength, LineDelimiter delimiter = LineDelimiter.Crlf) => framing.Kind switch
    {
        FramingKind.Line => Limit(delimiter == LineDelimiter.Lf ? new LfLineEcho() : new LineEcho(), maxLength),
        FramingKind.Int8 => Limit(new Int8Echo(), maxLength),
        FramingKind.Int16 => Limit(new Int16Echo(), maxLength),
        FramingKind.Int32 => Limit(new Int32Echo(), maxLength),
        FramingKind.Netstring => Limit(new NetstringEcho(), maxLength),
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
    private class LineEcho : LineReceiver
    {
        public override void LineReceived(ReadOnlySpan<byte> line) => SendLine(line);

        public override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            Console.Error.WriteLine($"FramedEcho: a line longer than {MaxLength} bytes from {Transport.GetPeer()}: closing that connection");
            base.LineLengthExceeded(line);
        }
    }

    /// <summary>--delimiter lf: LF-delimited lines; a CR before the LF is part of the line, so a CRLF client still gets CRLF back.</summary>
    private sealed class LfLineEcho : LineEcho
    {
        public LfLineEcho() => Delimiter = "\n"u8;
    }

    private sealed class Int8Echo : Int8StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => SendString(data);

        public override void LengthLimitExceeded(long length) => LengthNotice.Report(this, length, MaxLength);
    }

    private sealed class Int16Echo : Int16StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => SendString(data);

        public override void LengthLimitExceeded(long length) => LengthNotice.Report(this, length, MaxLength);
    }

    private sealed class Int32Echo : Int32StringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => SendString(data);

        public override void LengthLimitExceeded(long length) => LengthNotice.Report(this, length, MaxLength);
    }

    private static class LengthNotice
    {
        public static void Report(Protocol p, long length, int max)
        {
            Console.Error.WriteLine($"FramedEcho: a {length}-byte frame (limit {max}) from {p.Transport.GetPeer()}: closing that connection");
            p.Transport.LoseConnection();
        }
    }

    private sealed class NetstringEcho : NetstringReceiver
    {
        public override void StringReceived(ReadOnlySpan<byte> data) => SendString(data);

        protected override void HandleParseError(NetstringParseError error)
        {
            Console.Error.WriteLine($"FramedEcho: malformed netstring from {Transport.GetPeer()} ({error.Kind}: {error.Message}): closing that connection");
            base.HandleParseError(error);
        }
    }

    private sealed class FixedEcho(int length) : FixedLengthReceiver(length)
    {
        public override void FrameReceived(ReadOnlySpan<byte> frame) => SendFrame(frame);
    }
}
