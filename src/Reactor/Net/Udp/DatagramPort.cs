using System.Net.Sockets;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols.Datagram;
using Reactor.Protocols;
using Reactor.Core.Internal;

namespace Reactor.Net.Udp;

/// <summary>
/// A datagram socket driven by the reactor, shared by UDP and UNIX datagram ports (Twisted's
/// <c>udp.Port</c>): it is both the listening port (<see cref="IListeningPort"/>) and the
/// protocol's transport (<see cref="IDatagramTransport"/>).
/// </summary>
/// <remarks>
/// <para>
/// Reads drain up to <see cref="MaxDatagramsPerRead"/> datagrams per readiness report, so one busy
/// socket cannot starve the others, each into the port's own buffer (no allocation per datagram).
/// Writes go to the kernel at once (datagrams are never buffered or merged); a full send buffer
/// drops the datagram and <c>Write</c> says so by returning false.
/// </para>
/// <para>Threading: reactor thread only. Protocol callbacks that throw are logged and never stop the port.</para>
/// </remarks>
internal abstract unsafe partial class DatagramPort : IDatagramPort, IReadDescriptor, ISlotHolder
{
    /// <inheritdoc/>
    long ISlotHolder.SlotToken { get; set; }

    /// <summary>The default largest datagram delivered, as Twisted's <c>maxPacketSize</c>.</summary>
    public const int DefaultMaxPacketSize = IDatagramPort.DefaultMaxPacketSize;

    /// <summary>At most this many datagrams are read per readiness report.</summary>
    public const int MaxDatagramsPerRead = IDatagramPort.MaxDatagramsPerRead;

    // Room for the largest sockaddr (sockaddr_un is 110 bytes on Linux, 106 on macOS).
    private const int AddressCapacity = 128;

    private readonly ITransportHost _host;
    private readonly IDatagramSyscalls _syscalls;
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private readonly byte* _bufferPointer;
    private readonly byte[] _address;
    private readonly byte* _addressPointer;
    private int _fd;
    private bool _reading;
    private bool _closed;
    private Deferred<object?>? _stopped;

    /// <summary>Wraps the bound, non-blocking <paramref name="socket"/>; call <see cref="Start"/> next.</summary>
    private protected DatagramPort(ITransportHost host, Socket socket, DatagramProtocol protocol, int maxPacketSize, IDatagramSyscalls? syscalls)
    {
        _host = host;
        _syscalls = syscalls ?? LibcDatagramSyscalls.Instance;
        _socket = socket;
        _fd = (int)socket.Handle;
        Protocol = protocol;
        MaxPacketSize = maxPacketSize;

        // One byte more than the largest datagram delivered: a read that fills it was too long.
        // Pinned once (the pinned heap never moves), so reads pass raw pointers without fixing.
        _buffer = GC.AllocateArray<byte>(maxPacketSize + 1, pinned: true);
        _bufferPointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));
        _address = GC.AllocateArray<byte>(AddressCapacity, pinned: true);
        _addressPointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_address));
    }

    /// <summary>The protocol datagrams are delivered to.</summary>
    public DatagramProtocol Protocol { get; }

    /// <inheritdoc/>
    public int MaxPacketSize { get; }

    /// <summary>The OS descriptor, or -1 once closed.</summary>
    public int FileDescriptor => _fd;

    /// <summary>True until the socket is closed.</summary>
    public bool Listening => !_closed;

    /// <summary>Datagrams dropped on write because the socket's send buffer was full.</summary>
    public long DroppedWrites { get; private set; }

    /// <summary>Datagrams dropped on read because they were longer than <see cref="MaxPacketSize"/>.</summary>
    public long DroppedOversized { get; private set; }

    /// <summary>The reactor this port lives on.</summary>
    private protected ITransportHost Host => _host;

    /// <summary>The socket, for options; never used for I/O.</summary>
    private protected Socket Socket => _socket;

    /// <summary>What the port is, for log lines ("UDP port 127.0.0.1:5000").</summary>
    private protected abstract string Description { get; }

    /// <inheritdoc/>
    public abstract EndPoint GetHost();

    /// <inheritdoc/>
    public abstract EndPoint? GetPeer();

    /// <summary>Attaches the protocol (its <c>StartProtocol</c> runs) and starts reading.</summary>
    private protected void Start()
    {
        NetLog.DatagramPortStarting(_host.Logger, Description, Protocol.GetType().FullName);
        StartReading();
        try
        {
            Protocol.MakeConnection(this);
        }
        catch (Exception ex)
        {
            LogUserError(ex, "MakeConnection");
        }
    }

    /// <inheritdoc/>
    public Deferred<object?> StopListening()
    {
        if (_stopped is not null) return _stopped;
        _stopped = new Deferred<object?>();
        StopReading();
        if (_closed)
        {
            _stopped.Callback(null);
        }
        else
        {
            // Closed from the loop, never inside the caller: StopListening is often called from
            // DatagramReceived, and StopProtocol must not run re-entrantly inside it (as Twisted).
            _host.CallLater(TimeSpan.Zero, Close);
        }
        return _stopped;
    }

    /// <summary>The reactor dropped the port (shutdown, or an error returned by a read): close it.</summary>
    void IFileDescriptor.ConnectionLost(Failure reason) => Close();

    /// <summary>Called once the socket is closed, before the protocol is told (a UNIX port unlinks its file here).</summary>
    private protected virtual void OnClosed() { }

    private void Close()
    {
        if (_closed) return;
        _closed = true;
        StopReading();
        _fd = -1;
        _socket.Dispose();
        NetLog.DatagramPortClosed(_host.Logger, Description);
        try
        {
            OnClosed();
        }
        catch (Exception ex)
        {
            NetLog.DatagramCleanupFailed(_host.Logger, ex, Description);
        }
        try
        {
            Protocol.DoStop();
        }
        catch (Exception ex)
        {
            LogUserError(ex, "StopProtocol");
        }
        if (_stopped is null) _stopped = Deferred.Succeed<object?>(null);
        else if (!_stopped.Called) _stopped.Callback(null);
    }

    private void StartReading()
    {
        if (_reading || _closed) return;
        _reading = true;
        _host.AddReader(this);
    }

    private void StopReading()
    {
        if (!_reading) return;
        _reading = false;
        _host.RemoveReader(this);
    }

    /// <summary>Throws if the port is closed (or closing).</summary>
    private protected void ThrowIfClosed()
    {
        if (_closed || _fd < 0) throw new InvalidOperationException($"{Description} is closed.");
    }

    private protected void LogUserError(Exception exception, string callback) =>
        NetLog.DatagramProtocolFailed(_host.Logger, exception, Protocol.GetType().FullName, callback, Description);

    /// <inheritdoc/>
    public override string ToString() => Description;
}
