using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Native;
using Reactor.Selectors;
using Reactor.Selectors.IoUring;

namespace Reactor.Net.Stream;

/// <summary>
/// The io_uring completion driver for stream connections: one multishot RECV per connection into
/// the reactor's provided-buffer ring (armed at start, cancelled at a pause, its late results held
/// and handed over on resume, re-armed after the ring ran dry), sends as SEND / SENDMSG submissions
/// gathered from the output buffer (one in flight; submitted with the loop's next wait, in the same
/// io_uring_enter), and close after cancellation: the descriptor is closed at once unless a send is
/// in flight, then when that send reports, so its number is never reused under a live request.
/// </summary>
/// <remarks>
/// Results arrive through <see cref="ICompletionReceiver"/> at the end of the selector's wait. A
/// connection on this driver is not registered with the selector; the loop asks <see cref="Live"/>
/// for them when it disconnects everything at shutdown.
/// </remarks>
internal sealed class IoUringStreamDriver : IStreamCompletionDriver, ICompletionReceiver
{
    private readonly CompletionStreams _streams;
    private readonly ISyscalls _syscalls;
    private readonly ILogger _logger;
    private StreamTransport?[] _receiving = new StreamTransport?[64]; // by descriptor, while claimed
    private StreamTransport?[] _sending = new StreamTransport?[64];   // by descriptor, while a send is in flight
    private bool[] _closeAfterSend = new bool[64];

    private IoUringStreamDriver(CompletionStreams streams, ISyscalls syscalls, ILogger logger)
    {
        _streams = streams;
        _syscalls = syscalls;
        _logger = logger;
    }

    /// <summary>
    /// The driver over <paramref name="selector"/>'s completion side, or null with the reason where the
    /// kernel refuses the provided-buffer ring (connections then use the readiness path).
    /// </summary>
    public static IoUringStreamDriver? TryCreate(IoUringSelector selector, ISyscalls syscalls, ILogger logger, out string? whyNot)
    {
        var streams = selector.Completions;
        if (!streams.TryRegisterBuffers(out whyNot)) return null;
        var driver = new IoUringStreamDriver(streams, syscalls, logger);
        streams.Receiver = driver;
        return driver;
    }

    /// <inheritdoc/>
    public void StartReceiving(StreamTransport transport, int fd)
    {
        if (!_streams.IsClaimed(fd))
        {
            _streams.ClaimDelivered(fd);
            Put(ref _receiving, fd, transport);
        }
        _streams.SetWanted(fd, true, 0);
    }

    /// <inheritdoc/>
    public void StopReceiving(StreamTransport transport, int fd)
    {
        if (_streams.IsClaimed(fd)) _streams.SetWanted(fd, false, 0);
    }

    /// <inheritdoc/>
    public void SubmitSend(StreamTransport transport, int fd, ReadOnlySpan<IoVec> vectors)
    {
        Put(ref _sending, fd, transport);
        _streams.SubmitSend(fd, vectors);
    }

    /// <inheritdoc/>
    public void Close(StreamTransport transport, int fd)
    {
        _streams.Release(fd);
        if (fd < _receiving.Length && ReferenceEquals(_receiving[fd], transport)) _receiving[fd] = null;
        if (fd < _sending.Length && _sending[fd] is not null)
        {
            // The send's memory and descriptor number stay the kernel's until it reports.
            _streams.CancelSend(fd);
            _closeAfterSend[fd] = true;
            return;
        }
        _syscalls.Close(fd, out _);
    }

    /// <summary>The connections this driver reads for (the loop's disconnect-all at shutdown).</summary>
    public List<StreamTransport> Live()
    {
        var live = new List<StreamTransport>();
        foreach (var transport in _receiving)
        {
            if (transport is not null) live.Add(transport);
        }
        return live;
    }

    /// <inheritdoc/>
    void ICompletionReceiver.Received(int fd)
    {
        var transport = _receiving[fd];
        if (transport is null) return;
        try
        {
            // Until nothing is held or the transport stops asking (a pause, a half-close, a close).
            while (_streams.IsWanted(fd))
            {
                switch (_streams.TakeReceived(fd, out var data, out var error))
                {
                    case CompletionStreams.Received.Nothing:
                        return;
                    case CompletionStreams.Received.End:
                        if (error == Errno.Success) transport.ReceiveCompleted(default);
                        else transport.ReceiveFailed(error);
                        return;
                }
                try
                {
                    transport.ReceiveCompleted(data);
                }
                finally
                {
                    _streams.ReturnReceived(fd);
                }
            }
        }
        catch (Exception ex)
        {
            // The transport logs user code itself; this is a bug of ours, and the loop must go on.
            CoreLog.DescriptorFailed(_logger, ex, fd, "ReceiveCompleted");
        }
    }

    /// <inheritdoc/>
    void ICompletionReceiver.Sent(int fd, int result)
    {
        var transport = _sending[fd];
        _sending[fd] = null;
        if (_closeAfterSend[fd])
        {
            _closeAfterSend[fd] = false;
            _syscalls.Close(fd, out _);
        }
        if (transport is null) return;
        try
        {
            if (result >= 0) transport.SendCompleted(result);
            else transport.SendFailed(new Errno(-result));
        }
        catch (Exception ex)
        {
            CoreLog.DescriptorFailed(_logger, ex, fd, "SendCompleted");
        }
    }

    private void Put(ref StreamTransport?[] table, int fd, StreamTransport transport)
    {
        DescriptorArrays.EnsureIndex(ref _closeAfterSend, DescriptorArrays.EnsureIndex(ref table, fd) - 1);
        table[fd] = transport;
    }
}
