using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Reactor.Native;

namespace Reactor.Benchmarks.Net;

/// <summary>
/// What one 64-byte send plus one recv costs on a connected loopback TCP pair: our raw
/// LibraryImport calls against <see cref="Socket.Send(ReadOnlySpan{byte})"/> /
/// <see cref="Socket.Receive(Span{byte})"/> on non-blocking sockets. Decides which the transports use.
/// </summary>
[MemoryDiagnoser]
public unsafe class RawSocketCallBenchmarks
{
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(64, pinned: true);
    private readonly byte[] _receive = GC.AllocateUninitializedArray<byte>(64 * 1024, pinned: true);
    private Socket _listener = null!;
    private Socket _client = null!;
    private Socket _server = null!;
    private int _clientFd;
    private int _serverFd;

    [GlobalSetup]
    public void Setup()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _client.Connect(_listener.LocalEndPoint!);
        _server = _listener.Accept();
        _client.Blocking = false;
        _server.Blocking = false;
        // Read once: Socket.Handle marks the handle as exposed, which is not free.
        _clientFd = (int)_client.Handle;
        _serverFd = (int)_server.Handle;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.Dispose();
        _listener.Dispose();
    }

    /// <summary>send(2) and recv(2) through the Native layer's LibraryImport seam.</summary>
    [Benchmark(Baseline = true)]
    public nint RawSendRecv()
    {
        var client = _clientFd;
        var server = _serverFd;
        fixed (byte* send = _buffer)
        fixed (byte* receive = _receive)
        {
            LibcSyscalls.Instance.Send(client, send, _buffer.Length, out _);
            return LibcSyscalls.Instance.Recv(server, receive, _receive.Length, out _);
        }
    }

    /// <summary>The same through System.Net.Sockets on non-blocking sockets.</summary>
    [Benchmark]
    public int SocketSendReceive()
    {
        _client.Send(_buffer.AsSpan(), SocketFlags.None, out _);
        return _server.Receive(_receive.AsSpan(), SocketFlags.None, out _);
    }
}
