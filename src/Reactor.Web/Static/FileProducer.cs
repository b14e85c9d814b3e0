using Reactor.Protocols;
using Reactor.Web.Server;

namespace Reactor.Web.Static;

/// <summary>
/// Writes a byte range of an open file to a request one piece at a time, each time the connection's
/// output drains (a pull producer, Twisted's <c>NoRangeStaticProducer</c>/<c>SingleRangeStaticProducer</c>),
/// so memory stays at one piece per connection however large the file. Finishes the request at the end.
/// </summary>
internal sealed class FileProducer : IPullProducer
{
    /// <summary>The size of one piece read from the file.</summary>
    public const int PieceSize = 64 * 1024;

    private readonly Request _request;
    private readonly FileStream _file;
    private readonly byte[] _buffer;
    private long _remaining;
    private bool _done;

    public FileProducer(Request request, FileStream file, ByteRange range)
    {
        _request = request;
        _file = file;
        _file.Position = range.First;
        _remaining = range.Length;
        _buffer = new byte[(int)Math.Min(PieceSize, Math.Max(1, _remaining))];
    }

    public void Start() => _request.RegisterProducer(this, streaming: false);

    public void ResumeProducing()
    {
        if (_done) return;
        try
        {
            var read = _file.Read(_buffer, 0, (int)Math.Min(_buffer.Length, _remaining));
            if (read <= 0) throw new IOException("The file is shorter than when the response started.");
            _remaining -= read;
            _request.Write(_buffer.AsSpan(0, read));
            if (_remaining > 0) return;
            Close();
            _request.UnregisterProducer();
            _request.Finish();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Close();
            _request.UnregisterProducer();
            _request.ProcessingFailed(ex);
        }
    }

    public void StopProducing() => Close();

    private void Close()
    {
        if (_done) return;
        _done = true;
        _file.Dispose();
    }
}
