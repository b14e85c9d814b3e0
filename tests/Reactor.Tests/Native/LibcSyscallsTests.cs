using System.Net;
using System.Net.Sockets;
using Reactor.Native;
using static Reactor.Native.NativeConstants;

namespace Reactor.Tests.Native;

/// <summary>The real libc seam: the socket and descriptor calls transports make on their hot path.</summary>
public sealed unsafe class LibcSyscallsTests
{
    private static readonly ISyscalls Sys = LibcSyscalls.Instance;
    private readonly List<int> _fds = [];
    private readonly List<Socket> _sockets = [];

    [SetUp]
    public void RequirePosix()
    {
        if (NativePlatform.IsWindows) Assert.Ignore("The libc seam is POSIX only.");
    }

    [TearDown]
    public void CloseEverything()
    {
        // NUnit keeps one fixture instance for every test: without the Clear, each teardown closed
        // every earlier test's descriptor numbers again, and a number reused by anything else in
        // the process (the runtime, a background thread) would have been closed under it.
        foreach (int fd in _fds) Sys.Close(fd, out _);
        foreach (Socket socket in _sockets) socket.Dispose();
        _fds.Clear();
        _sockets.Clear();
    }

    [Test]
    public void SendAndRecvMoveBytes()
    {
        (int a, int b) = Pair();
        byte* data = stackalloc byte[] { 1, 2, 3 };
        Assert.That(Sys.Send(a, data, 3, out Errno errno), Is.EqualTo((nint)3));
        Assert.That(errno, Is.EqualTo(Errno.Success));
        byte* buffer = stackalloc byte[8];
        Assert.That(Sys.Recv(b, buffer, 8, out errno), Is.EqualTo((nint)3));
        Assert.That(new ReadOnlySpan<byte>(buffer, 3).ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void ReadingAnEmptyNonBlockingSocketSaysWouldBlock()
    {
        (int a, _) = Pair();
        byte* buffer = stackalloc byte[8];
        Assert.That(Sys.Recv(a, buffer, 8, out Errno errno), Is.EqualTo((nint)(-1)));
        Assert.That(errno.IsWouldBlock, Is.True);
        Assert.That(errno, Is.EqualTo(Errno.EAGAIN));
        Assert.That(Sys.Read(a, buffer, 8, out errno), Is.EqualTo((nint)(-1)));
        Assert.That(errno.ToSocketError(), Is.EqualTo(SocketError.WouldBlock));
    }

    [Test]
    public void SendingToAClosedPeerIsEpipeNotASignal()
    {
        (int a, int b) = Pair();
        Sys.Close(b, out _);
        _fds.Remove(b);
        byte* data = stackalloc byte[4];
        Assert.That(Sys.Send(a, data, 4, out Errno errno), Is.EqualTo((nint)(-1)));
        Assert.That(errno, Is.EqualTo(Errno.EPIPE));
        IoVec vector = new(data, 4);
        Assert.That(Sys.Writev(a, &vector, 1, out errno), Is.EqualTo((nint)(-1)), "writev too: the runtime ignores SIGPIPE");
        Assert.That(errno, Is.EqualTo(Errno.EPIPE));
    }

    [Test]
    public void WritevGathersAndReadvScatters()
    {
        (int a, int b) = Pair();
        byte* first = stackalloc byte[] { 1, 2 };
        byte* second = stackalloc byte[] { 3, 4, 5 };
        IoVec* gather = stackalloc IoVec[2] { new IoVec(first, 2), new IoVec(second, 3) };
        Assert.That(Sys.Writev(a, gather, 2, out _), Is.EqualTo((nint)5));
        byte* x = stackalloc byte[1];
        byte* y = stackalloc byte[4];
        IoVec* scatter = stackalloc IoVec[2] { new IoVec(x, 1), new IoVec(y, 4) };
        Assert.That(Sys.Readv(b, scatter, 2, out _), Is.EqualTo((nint)5));
        Assert.That(new[] { x[0], y[0], y[1], y[2] }, Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void AShortWriteIsReportedAsTheCountTheKernelTook()
    {
        (int a, _) = Pair();
        var big = new byte[8 << 20];
        fixed (byte* data = big)
        {
            nint sent = Sys.Send(a, data, big.Length, out Errno errno);
            Assert.That(sent, Is.GreaterThan((nint)0).And.LessThan((nint)big.Length));
            Assert.That(errno, Is.EqualTo(Errno.Success));
            Assert.That(Sys.Send(a, data, big.Length, out errno), Is.EqualTo((nint)(-1)));
            Assert.That(errno.IsWouldBlock, Is.True);
        }
    }

    [Test]
    public void AcceptReturnsANonBlockingCloseOnExecDescriptor()
    {
        Socket listener = Listener();
        byte* buffer = stackalloc byte[4];
        Assert.That(Sys.Accept((int)listener.Handle, null, null, out Errno errno), Is.EqualTo(-1));
        Assert.That(errno.IsWouldBlock, Is.True);

        Socket client = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        client.Connect(listener.LocalEndPoint!);
        byte* address = stackalloc byte[128];
        int length = 128;
        int accepted = -1;
        for (int attempt = 0; attempt < 200 && accepted < 0; attempt++)
        {
            accepted = Sys.Accept((int)listener.Handle, address, &length, out errno);
            if (accepted < 0) listener.Poll(100_000, SelectMode.SelectRead);
        }

        Assert.That(accepted, Is.GreaterThanOrEqualTo(0), errno.ToString());
        _fds.Add(accepted);
        Assert.That(length, Is.GreaterThan(0), "the peer address was filled in");
        Assert.That(Sys.Fcntl(accepted, F_GETFL, 0, out _) & O_NONBLOCK, Is.EqualTo(O_NONBLOCK));
        Assert.That(Sys.Fcntl(accepted, F_GETFD, 0, out _) & FD_CLOEXEC, Is.EqualTo(FD_CLOEXEC));
        Assert.That(Sys.Recv(accepted, buffer, 4, out errno), Is.EqualTo((nint)(-1)));
        Assert.That(errno.IsWouldBlock, Is.True);
    }

    [Test]
    public void ShutdownOfTheSendingSideGivesThePeerEndOfFile()
    {
        (int a, int b) = Pair();
        Assert.That(Sys.Shutdown(a, SocketShutdown.Send, out _), Is.Zero);
        byte* buffer = stackalloc byte[4];
        Assert.That(Sys.Recv(b, buffer, 4, out _), Is.EqualTo((nint)0));
    }

    [Test]
    public void GetSocketErrorReportsARefusedConnect()
    {
        // A port that was just released on loopback: nothing listens there.
        Socket probe = Listener();
        var endPoint = (IPEndPoint)probe.LocalEndPoint!;
        probe.Dispose();
        Socket client = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false });
        try
        {
            client.Connect(endPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.ConnectionRefused)
        {
        }

        client.Poll(10_000_000, SelectMode.SelectError);
        Assert.That(Sys.GetSocketError((int)client.Handle, out Errno pending, out Errno errno), Is.Zero, errno.ToString());
        Assert.That(pending, Is.EqualTo(Errno.ECONNREFUSED));
        Assert.That(pending.ToSocketError(), Is.EqualTo(SocketError.ConnectionRefused));
    }

    [Test]
    public void SetSockOptAndGetSockOptRoundTripTcpNoDelay()
    {
        Socket socket = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        int fd = (int)socket.Handle;
        int on = 1;
        Assert.That(Sys.SetSockOpt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(int), out _), Is.Zero);
        int value = 0;
        int length = sizeof(int);
        Assert.That(Sys.GetSockOpt(fd, IPPROTO_TCP, TCP_NODELAY, &value, &length, out _), Is.Zero);
        Assert.That(value, Is.Not.Zero);
        Assert.That(socket.NoDelay, Is.True, "the .NET socket sees the same option");
    }

    [Test]
    public void PipesAreNonBlockingAndCloseOnExec()
    {
        Assert.That(Sys.CreatePipe(out int readFd, out int writeFd, out Errno errno), Is.Zero, errno.ToString());
        _fds.Add(readFd);
        _fds.Add(writeFd);
        foreach (int fd in new[] { readFd, writeFd })
        {
            Assert.That(Sys.Fcntl(fd, F_GETFL, 0, out _) & O_NONBLOCK, Is.EqualTo(O_NONBLOCK));
            Assert.That(Sys.Fcntl(fd, F_GETFD, 0, out _) & FD_CLOEXEC, Is.EqualTo(FD_CLOEXEC));
        }

        byte* buffer = stackalloc byte[1];
        Assert.That(Sys.Read(readFd, buffer, 1, out errno), Is.EqualTo((nint)(-1)));
        Assert.That(errno.IsWouldBlock, Is.True);
    }

    [Test]
    public void SetNonBlockingTogglesTheFlag()
    {
        (int a, _) = Pair();
        Assert.That(Sys.SetNonBlocking(a, false, out _), Is.Zero);
        Assert.That(Sys.Fcntl(a, F_GETFL, 0, out _) & O_NONBLOCK, Is.Zero);
        Assert.That(Sys.SetNonBlocking(a, true, out _), Is.Zero);
        Assert.That(Sys.Fcntl(a, F_GETFL, 0, out _) & O_NONBLOCK, Is.EqualTo(O_NONBLOCK));
    }

    [Test]
    public void EventFdCountsWritesOnLinux()
    {
        int fd = Sys.CreateEventFd(out Errno errno);
        if (!NativePlatform.IsLinux)
        {
            Assert.That(errno, Is.EqualTo(Errno.ENOSYS));
            return;
        }

        _fds.Add(fd);
        ulong value = 2;
        Sys.Write(fd, (byte*)&value, 8, out _);
        Sys.Write(fd, (byte*)&value, 8, out _);
        ulong total = 0;
        Assert.That(Sys.Read(fd, (byte*)&total, 8, out _), Is.EqualTo((nint)8));
        Assert.That(total, Is.EqualTo(4UL));
        Assert.That(Sys.Read(fd, (byte*)&total, 8, out errno), Is.EqualTo((nint)(-1)));
        Assert.That(errno.IsWouldBlock, Is.True);
    }

    [Test]
    public void ClosingTwiceIsEbadf()
    {
        (int a, _) = Pair();
        _fds.Remove(a);
        Assert.That(Sys.Close(a, out _), Is.Zero);
        Assert.That(Sys.Close(a, out Errno errno), Is.EqualTo(-1));
        Assert.That(errno, Is.EqualTo(Errno.EBADF));
        Assert.That(errno.Message, Is.Not.Empty);
    }

    [Test]
    public void TheOpenFileLimitCanBeReadAndSetBack()
    {
        Assert.That(Sys.GetOpenFileLimit(out ulong soft, out ulong hard, out Errno errno), Is.Zero, errno.ToString());
        Assert.That(soft, Is.GreaterThan(0UL).And.LessThanOrEqualTo(hard));
        Assert.That(Sys.SetOpenFileLimit(soft, hard, out errno), Is.Zero, errno.ToString());
    }

    [Test]
    public void ErrnoNumbersFollowTheOs()
    {
        Assert.That(Errno.EAGAIN.Value, Is.EqualTo(NativePlatform.IsLinux ? 11 : 35));
        Assert.That(Errno.EINPROGRESS.Value, Is.EqualTo(NativePlatform.IsLinux ? 115 : 36));
        Assert.That(Errno.ECONNRESET.ToSocketError(), Is.EqualTo(SocketError.ConnectionReset));
        Assert.That(Errno.EINTR.ToSocketError(), Is.EqualTo(SocketError.Interrupted));
        Assert.That(Errno.ECONNREFUSED.ToIOException("connect").Message, Does.Contain("connect").And.Contain("refused").IgnoreCase);
    }

    private (int A, int B) Pair()
    {
        Assert.That(Sys.CreateSocketPair(SOCK_STREAM, out int a, out int b, out Errno errno), Is.Zero, errno.ToString());
        _fds.Add(a);
        _fds.Add(b);
        return (a, b);
    }

    private Socket Listener()
    {
        Socket listener = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        listener.Blocking = false;
        return listener;
    }

    private Socket Track(Socket socket)
    {
        _sockets.Add(socket);
        return socket;
    }
}
