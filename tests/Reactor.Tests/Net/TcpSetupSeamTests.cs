using System.Net;
using System.Net.Sockets;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Native;

namespace Reactor.Tests.Net;

/// <summary>
/// A TCP listening port creates, binds, listens and names its socket through the syscall seam
/// (issue 18: every libc call behind <see cref="ISyscalls"/>), so a test can watch those calls or
/// fail them without exhausting the process's descriptors.
/// </summary>
public sealed unsafe class TcpSetupSeamTests
{
    private sealed class RecordingSetup() : ForwardingSyscalls(LibcSyscalls.Instance)
    {
        public List<string> Calls { get; } = [];
        public Errno? FailSocketWith { get; set; }

        public override int Socket(int domain, int type, int protocol, out Errno errno)
        {
            Calls.Add("socket");
            if (FailSocketWith is { } failure)
            {
                errno = failure;
                return -1;
            }
            return base.Socket(domain, type, protocol, out errno);
        }

        public override int Bind(int fd, byte* address, int length, out Errno errno)
        {
            Calls.Add("bind");
            return base.Bind(fd, address, length, out errno);
        }

        public override int Listen(int fd, int backlog, out Errno errno)
        {
            Calls.Add($"listen {backlog}");
            return base.Listen(fd, backlog, out errno);
        }

        public override int GetSockName(int fd, byte* address, int* length, out Errno errno)
        {
            Calls.Add("getsockname");
            return base.GetSockName(fd, address, length, out errno);
        }
    }

    [Test]
    public void AListeningPortSetsUpItsSocketThroughTheSeam()
    {
        using var reactor = ReactorLoop.Create(new Reactor.Core.ReactorOptions { Logger = new CapturingLogger() });
        var syscalls = new RecordingSetup();
        var port = TcpPort.Listen((ITransportHost)reactor, Factory.For<EchoProtocol>(), new IPEndPoint(IPAddress.Loopback, 0), 7, syscalls);
        try
        {
            Assert.That(syscalls.Calls, Is.EqualTo(new[] { "socket", "bind", "listen 7", "getsockname" }));
            Assert.That(((IPEndPoint)port.GetHost()).Port, Is.GreaterThan(0), "the address getsockname read through the seam");
        }
        finally
        {
            port.StopListening();
        }
    }

    [Test]
    public void ASocketTheKernelWillNotCreateFailsTheListenWithItsReason()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Linux errno numbers.");
        using var reactor = ReactorLoop.Create(new Reactor.Core.ReactorOptions { Logger = new CapturingLogger() });
        var syscalls = new RecordingSetup { FailSocketWith = Errno.EMFILE };

        var error = Assert.Throws<CannotListenError>(() =>
            TcpPort.Listen((ITransportHost)reactor, Factory.For<EchoProtocol>(), new IPEndPoint(IPAddress.Loopback, 0), 7, syscalls));

        Assert.That(error!.InnerException, Is.InstanceOf<SocketException>());
        Assert.That(((SocketException)error.InnerException!).SocketErrorCode, Is.EqualTo(SocketError.TooManyOpenSockets));
        Assert.That(syscalls.Calls, Is.EqualTo(new[] { "socket" }), "nothing after the refusal");
    }
}
