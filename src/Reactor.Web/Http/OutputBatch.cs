using System.Buffers.Text;
using System.Text;

namespace Reactor.Web.Http;

/// <summary>
/// Bytes to write on one connection, gathered during a dispatch and written with one
/// <c>Write</c> at its end, so that the responses to several pipelined requests cost one send.
/// Reused: steady state allocates nothing.
/// </summary>
internal sealed class OutputBatch
{
    private byte[] _buffer = new byte[1024];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Clear()
    {
        Length = 0;
        if (_buffer.Length > 256 * 1024) _buffer = new byte[1024];
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        Ensure(data.Length);
        data.CopyTo(_buffer.AsSpan(Length));
        Length += data.Length;
    }

    public void AppendNumber(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(Length), out var written);
        Length += written;
    }

    public void AppendHex(int value)
    {
        Ensure(8);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(Length), out var written, new System.Buffers.StandardFormat('x'));
        Length += written;
    }

    public void AppendLatin1(string text)
    {
        Ensure(text.Length);
        Length += Encoding.Latin1.GetBytes(text, _buffer.AsSpan(Length));
    }

    private void Ensure(int extra)
    {
        if (Length + extra > _buffer.Length) Array.Resize(ref _buffer, Math.Max(Length + extra, _buffer.Length * 2));
    }
}
