using System.Buffers;
using System.Text;
using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Protocols.Policies;

/// <summary>The wrapper a <see cref="TrafficLoggingFactory"/> puts around each protocol (Twisted's <c>TrafficLoggingProtocol</c>).</summary>
public class TrafficLoggingProtocol : ProtocolWrapper
{
    private readonly Action<string> _log;
    private readonly int? _lengthLimit;

    /// <summary>Wraps <paramref name="wrappedProtocol"/>, logging its traffic through <paramref name="log"/> as connection <paramref name="number"/>.</summary>
    public TrafficLoggingProtocol(WrappingFactory factory, IProtocol wrappedProtocol, Action<string> log, int? lengthLimit, int number)
        : base(factory, wrappedProtocol)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _lengthLimit = lengthLimit;
        Number = number;
    }

    /// <summary>This connection's number in the log.</summary>
    public int Number { get; }

    /// <inheritdoc/>
    public override void MakeConnection(ITransport transport)
    {
        _log($"* {Number}");
        base.MakeConnection(transport);
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _log($"C {Number}: {Show(data)}");
        base.DataReceived(data);
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        _log($"C {Number}: {reason}");
        base.ConnectionLost(reason);
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> data)
    {
        _log($"S {Number}: {Show(data)}");
        base.Write(data);
    }

    /// <inheritdoc/>
    public override void WriteSequence(ReadOnlySequence<byte> data)
    {
        var parts = new List<string>();
        foreach (var segment in data) parts.Add(Show(segment.Span));
        _log($"SV {Number}: [{string.Join(", ", parts)}]");
        base.WriteSequence(data);
    }

    /// <inheritdoc/>
    public override void LoseConnection()
    {
        _log($"S {Number}: LoseConnection");
        base.LoseConnection();
    }

    private string Show(ReadOnlySpan<byte> data)
    {
        var elided = _lengthLimit is { } limit && data.Length > limit;
        if (elided) data = data[.._lengthLimit!.Value];
        var sb = new StringBuilder(data.Length + 16).Append('\'');
        foreach (var b in data)
        {
            if (b is >= 0x20 and < 0x7f && b != '\\' && b != '\'') sb.Append((char)b);
            else sb.Append(b switch { (byte)'\r' => "\\r", (byte)'\n' => "\\n", (byte)'\t' => "\\t", (byte)'\\' => "\\\\", (byte)'\'' => "\\'", _ => $"\\x{b:x2}" });
        }
        sb.Append('\'');
        if (elided) sb.Append("<... elided>");
        return sb.ToString();
    }
}
