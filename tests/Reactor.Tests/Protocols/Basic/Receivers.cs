using Reactor.Protocols.Basic;

namespace Reactor.Tests.Protocols.Basic;

// Test receivers that record what they get (spans are copied: they are only valid during the call).

internal sealed class RecordingLineReceiver : LineReceiver
{
    public List<byte[]> Lines { get; } = [];
    public List<byte[]> Raw { get; } = [];
    public List<byte[]> Exceeded { get; } = [];
    public Action<RecordingLineReceiver, byte[]>? OnLine;

    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        var copy = line.ToArray();
        Lines.Add(copy);
        OnLine?.Invoke(this, copy);
    }

    public override void RawDataReceived(ReadOnlySpan<byte> data) => Raw.Add(data.ToArray());

    public bool DisconnectOnExceeded { get; set; } = true;

    public override void LineLengthExceeded(ReadOnlySpan<byte> line)
    {
        Exceeded.Add(line.ToArray());
        if (DisconnectOnExceeded) base.LineLengthExceeded(line);
    }
}

internal sealed class RecordingLineOnlyReceiver : LineOnlyReceiver
{
    public List<byte[]> Lines { get; } = [];
    public List<byte[]> Exceeded { get; } = [];
    public Action<RecordingLineOnlyReceiver, byte[]>? OnLine;
    public bool DisconnectOnExceeded { get; set; } = true;

    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        var copy = line.ToArray();
        Lines.Add(copy);
        OnLine?.Invoke(this, copy);
    }

    public override void LineLengthExceeded(ReadOnlySpan<byte> line)
    {
        Exceeded.Add(line.ToArray());
        if (DisconnectOnExceeded) base.LineLengthExceeded(line);
    }
}

internal interface IStringRecorder
{
    List<byte[]> Strings { get; }
}

internal sealed class RecordingInt8 : Int8StringReceiver, IStringRecorder
{
    public List<byte[]> Strings { get; } = [];
    public List<long> Exceeded { get; } = [];
    public bool DisconnectOnExceeded { get; set; } = true;
    public override void StringReceived(ReadOnlySpan<byte> data) => Strings.Add(data.ToArray());
    public override void LengthLimitExceeded(long length)
    {
        Exceeded.Add(length);
        if (DisconnectOnExceeded) base.LengthLimitExceeded(length);
    }
}

internal sealed class RecordingInt16 : Int16StringReceiver, IStringRecorder
{
    public List<byte[]> Strings { get; } = [];
    public List<long> Exceeded { get; } = [];
    public bool DisconnectOnExceeded { get; set; } = true;
    public override void StringReceived(ReadOnlySpan<byte> data) => Strings.Add(data.ToArray());
    public override void LengthLimitExceeded(long length)
    {
        Exceeded.Add(length);
        if (DisconnectOnExceeded) base.LengthLimitExceeded(length);
    }
}

internal sealed class RecordingInt32 : Int32StringReceiver, IStringRecorder
{
    public List<byte[]> Strings { get; } = [];
    public List<long> Exceeded { get; } = [];
    public bool DisconnectOnExceeded { get; set; } = true;
    public Action<RecordingInt32, byte[]>? OnString;
    public override void StringReceived(ReadOnlySpan<byte> data)
    {
        var copy = data.ToArray();
        Strings.Add(copy);
        OnString?.Invoke(this, copy);
    }
    public override void LengthLimitExceeded(long length)
    {
        Exceeded.Add(length);
        if (DisconnectOnExceeded) base.LengthLimitExceeded(length);
    }
}

internal sealed class RecordingNetstring : NetstringReceiver, IStringRecorder
{
    public List<byte[]> Strings { get; } = [];
    public override void StringReceived(ReadOnlySpan<byte> data) => Strings.Add(data.ToArray());
}

internal sealed class RecordingFixed(int length) : FixedLengthReceiver(length), IStringRecorder
{
    public List<byte[]> Strings { get; } = [];
    public override void FrameReceived(ReadOnlySpan<byte> frame) => Strings.Add(frame.ToArray());
}
