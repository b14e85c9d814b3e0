using System.Buffers.Binary;
using System.Text;
using Reactor.Protocols.Basic;

namespace Reactor.Docs.Samples.Guides.Framing;

#region lines
/// <summary>A line protocol: "ADD a b" answers the sum; lines longer than 64 bytes end the connection.</summary>
public sealed class Calculator : LineReceiver
{
    /// <summary>Short lines only: a peer cannot make us buffer more than this.</summary>
    public Calculator() => MaxLength = 64;

    /// <inheritdoc/>
    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        var words = Encoding.ASCII.GetString(line).Split(' ');
        if (words is ["ADD", var a, var b] && long.TryParse(a, out var x) && long.TryParse(b, out var y))
        {
            SendLine((x + y).ToString());
        }
        else
        {
            SendLine("ERR expected: ADD <a> <b>");
        }
    }

    /// <inheritdoc/>
    public override void LineLengthExceeded(ReadOnlySpan<byte> line)
    {
        SendLine("ERR line too long");
        Transport.LoseConnection();
    }
}
#endregion

#region raw
/// <summary>A header line "SIZE n", then n raw bytes, then lines again (LineReceiver's raw mode).</summary>
public sealed class Upload : LineReceiver
{
    private int _remaining;
    private readonly MemoryStream _body = new();

    /// <summary>The bodies received so far.</summary>
    public List<byte[]> Bodies { get; } = [];

    /// <inheritdoc/>
    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("SIZE "u8) && int.TryParse(line[5..], out _remaining) && _remaining >= 0)
        {
            SetRawMode(); // what follows this line goes to RawDataReceived
        }
    }

    /// <inheritdoc/>
    public override void RawDataReceived(ReadOnlySpan<byte> data)
    {
        var take = Math.Min(_remaining, data.Length);
        _body.Write(data[..take]);
        _remaining -= take;
        if (_remaining > 0) return;
        Bodies.Add(_body.ToArray());
        _body.SetLength(0);
        SendLine($"OK {Bodies[^1].Length}");
        SetLineMode(data[take..]); // bytes after the body are lines again
    }
}
#endregion

#region prefixed
/// <summary>Length-prefixed messages (4-byte big-endian length, Twisted's Int32StringReceiver): answers each with its length.</summary>
public sealed class MeasureMessages : Int32StringReceiver
{
    /// <summary>Refuses any message above 1 MiB before buffering a byte of it.</summary>
    public MeasureMessages() => MaxLength = 1024 * 1024;

    /// <inheritdoc/>
    public override void StringReceived(ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        SendString(length);
    }
}
#endregion

#region netstring
/// <summary>Netstrings ("5:hello,"): answers each string reversed.</summary>
public sealed class Reverse : NetstringReceiver
{
    /// <inheritdoc/>
    public override void StringReceived(ReadOnlySpan<byte> data)
    {
        var reversed = data.ToArray();
        Array.Reverse(reversed);
        SendString(reversed);
    }
}
#endregion
