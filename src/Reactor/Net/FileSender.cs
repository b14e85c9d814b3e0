using Reactor.Defer;
using Reactor.Net.Stream;
using Reactor.Protocols;

namespace Reactor.Net;

/// <summary>
/// Sends a file (any readable <see cref="System.IO.Stream"/>) to a consumer, one chunk each time
/// the consumer asks (Twisted's <c>twisted.protocols.basic.FileSender</c>, a pull producer):
/// memory stays at one chunk whatever the file's size, and a slow peer slows the reading.
/// </summary>
/// <remarks>
/// <para>
/// On a plain TCP or UNIX connection on Linux, with no <c>transform</c>, a seekable
/// <see cref="FileStream"/> goes through sendfile(2): the kernel copies file pages to the socket
/// without a pass through user space. Each time the output has drained, up to
/// <see cref="SendFileBudget"/> bytes go that way, and one chunk is then read and written as
/// usual so that the transport asks again once the kernel has room. Over TLS (the bytes must
/// be encrypted), through a protocol wrapper, with a transform, on other OSes, or for files
/// sendfile cannot read (pipes, some special files), every byte is read and written in
/// <see cref="ChunkSize"/> chunks.
/// </para>
/// <para>
/// The sender reads from the file's current position and leaves the position at the end of what
/// it sent; it does not close the file. Threading: the reactor thread, like the consumer.
/// </para>
/// </remarks>
public sealed class FileSender : IPullProducer
{
    /// <summary>Twisted's <c>CHUNK_SIZE</c>: 16 KiB per read.</summary>
    public const int DefaultChunkSize = 1 << 14;

    /// <summary>The most bytes sent with sendfile(2) each time the consumer asks: 1 MiB, so one transfer cannot hold the loop.</summary>
    public const long SendFileBudget = 1 << 20;

    private System.IO.Stream? _file;
    private IConsumer? _consumer;
    private Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? _transform;
    private Deferred<byte[]>? _deferred;
    private byte[] _chunk = [];
    private byte[] _lastSent = [];
    private bool _sendFile;
    private long _position;

    /// <summary>Bytes read per chunk (Twisted's <c>CHUNK_SIZE</c>); set it before <see cref="BeginFileTransfer"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int ChunkSize
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = DefaultChunkSize;

    /// <summary>Bytes handed to the consumer (after the transform) or to sendfile so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Of <see cref="BytesSent"/>, the bytes that went through sendfile(2).</summary>
    public long BytesSentWithSendFile { get; private set; }

    /// <summary>
    /// Registers this sender with <paramref name="consumer"/> (as a pull producer) and starts sending
    /// <paramref name="file"/>.
    /// </summary>
    /// <param name="file">The data, read from its current position to its end.</param>
    /// <param name="consumer">Usually a protocol's <c>Transport</c>.</param>
    /// <param name="transform">Applied to each chunk before it is written (disables sendfile).</param>
    /// <returns>
    /// A Deferred that fires, once the last byte is written to the consumer, with that last byte (an
    /// empty array for an empty file) — Twisted's <c>lastSent</c>; it fails with
    /// <see cref="InvalidOperationException"/> ("Consumer asked us to stop producing") when the
    /// consumer stops the transfer (the connection closed), or with the file's read error.
    /// </returns>
    /// <exception cref="ArgumentException">The file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">A transfer is already under way.</exception>
    public Deferred<byte[]> BeginFileTransfer(System.IO.Stream file, IConsumer consumer, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(consumer);
        if (!file.CanRead) throw new ArgumentException("The file must be readable.", nameof(file));
        if (_deferred is not null) throw new InvalidOperationException("This FileSender is already sending a file.");
        _file = file;
        _consumer = consumer;
        _transform = transform;
        _chunk = new byte[ChunkSize];
        _lastSent = [];
        _sendFile = transform is null && consumer is StreamTransport && file is FileStream { CanSeek: true };
        _position = _sendFile ? file.Position : 0;
        var deferred = _deferred = new Deferred<byte[]>();
        consumer.RegisterProducer(this, streaming: false);
        return deferred;
    }

    /// <summary>Sends the next part of the file; at its end, unregisters and fires the Deferred.</summary>
    public void ResumeProducing()
    {
        if (_file is null || _consumer is null) return;
        try
        {
            if (_sendFile && SendWithSendFile()) return;
            var read = _sendFile ? RandomAccess.Read(((FileStream)_file).SafeFileHandle, _chunk, _position) : _file.Read(_chunk);
            if (read == 0)
            {
                Finish();
                return;
            }
            _position += read;
            ReadOnlyMemory<byte> chunk = _chunk.AsMemory(0, read);
            if (_transform is not null) chunk = _transform(chunk);
            BytesSent += chunk.Length;
            if (!chunk.IsEmpty) _lastSent = chunk.Span[^1..].ToArray();
            _consumer.Write(chunk.Span);
        }
        catch (IOException e)
        {
            Fail(e);
        }
    }

    /// <summary>The pull producer's pause: nothing to do, the sender only sends when asked.</summary>
    public void PauseProducing()
    {
    }

    /// <summary>The consumer will not take more (its connection closed): the Deferred fails.</summary>
    public void StopProducing()
    {
        var deferred = _deferred;
        Release();
        deferred?.Errback(new InvalidOperationException("Consumer asked us to stop producing"));
    }

    /// <summary>Sends with sendfile(2); true when this turn is done (the file ended), false to go on with a chunk.</summary>
    private bool SendWithSendFile()
    {
        var transport = (StreamTransport)_consumer!;
        var handle = ((FileStream)_file!).SafeFileHandle;
        long turn = 0;
        while (turn < SendFileBudget)
        {
            var sent = transport.SendFile(handle, _position, SendFileBudget - turn);
            if (sent == StreamTransport.SendFileUnsupported)
            {
                _sendFile = false;
                _file!.Position = _position; // the chunked path reads from the stream's position
                return false;
            }
            if (sent == StreamTransport.SendFileBlocked) return false;
            if (sent == 0)
            {
                if (BytesSent > 0) RememberLastByte(handle);
                Finish();
                return true;
            }
            _position += sent;
            turn += sent;
            BytesSent += sent;
            BytesSentWithSendFile += sent;
        }
        return false;
    }

    /// <summary>The byte before the position: the last one sent, whichever path sent it.</summary>
    private void RememberLastByte(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var last = new byte[1];
        if (_position > 0 && RandomAccess.Read(handle, last, _position - 1) == 1) _lastSent = last;
    }

    private void Finish()
    {
        var consumer = _consumer!;
        var deferred = _deferred;
        if (_sendFile) _file!.Position = _position;
        Release();
        consumer.UnregisterProducer();
        deferred?.Callback(_lastSent);
    }

    private void Fail(Exception error)
    {
        var consumer = _consumer!;
        var deferred = _deferred;
        Release();
        consumer.UnregisterProducer();
        deferred?.Errback(error);
    }

    private void Release()
    {
        _file = null;
        _consumer = null;
        _transform = null;
        _deferred = null;
    }
}
