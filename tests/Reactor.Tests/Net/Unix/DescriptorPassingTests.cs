using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Reactor.Core;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Infrastructure;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;

namespace Reactor.Tests.Net.Unix;

/// <summary>SendFileDescriptor / FileDescriptorReceived (SCM_RIGHTS), in one process and across two.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[UnsupportedOSPlatform("windows")]
public class DescriptorPassingTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _reactor = CreateReactor(out _, kind);
        _dir = TempDirectory();
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string ReadAll(int fileDescriptor)
    {
        using var stream = new FileStream(new SafeFileHandle(fileDescriptor, ownsHandle: true), FileAccess.Read);
        stream.Position = 0;
        return new StreamReader(stream).ReadToEnd();
    }

    // Twisted: internet/test/test_unix.py UNIXTestsBuilder.test_sendFileDescriptor and
    // test_descriptorDeliveredBeforeBytes — a copy arrives, before the bytes sent with it.
    [Test]
    public void AnOpenFileIsCopiedAndArrivesBeforeItsBytes()
    {
        var file = Path.Combine(_dir, "cargo.txt");
        File.WriteAllText(file, "the file's contents");
        using var cargo = File.OpenHandle(file);
        var cargoFd = (int)cargo.DangerousGetHandle();

        var path = Path.Combine(_dir, "fd.sock");
        _reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingStreamProtocol
        {
            OnMade = p =>
            {
                p.Transport.Write("before"u8);
                ((IUnixTransport)p.Transport).SendFileDescriptor(cargoFd);
                ((IUnixTransport)p.Transport).SendFileDescriptor(cargoFd);
                p.Transport.Write("ab"u8);
                p.Transport.LoseConnection();
            },
        }));
        var client = new RecordingStreamProtocol();
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => client));
        IterateUntil(_reactor, () => client.Lost is not null, "the server to send and close");

        Assert.That(client.Descriptors, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(client.ReceivedText, Is.EqualTo("beforeab"));
            Assert.That(client.Descriptors, Has.None.EqualTo(cargoFd), "copies, not the sender's numbers");
            // Each descriptor travels with one byte ("a", then "b", bytes 6 and 7 of the stream) and
            // is delivered before that byte reaches DataReceived.
            Assert.That(client.BytesBeforeDescriptor[0], Is.LessThanOrEqualTo(6));
            Assert.That(client.BytesBeforeDescriptor[1], Is.LessThanOrEqualTo(7));
        });
        Assert.That(ReadAll(client.Descriptors[0]), Is.EqualTo("the file's contents"));
        Assert.That(ReadAll(client.Descriptors[1]), Is.EqualTo("the file's contents"));
    }

    [Test]
    public void AProtocolThatDoesNotTakeDescriptorsHasThemClosed()
    {
        var file = Path.Combine(_dir, "unwanted.txt");
        File.WriteAllText(file, "x");
        using var cargo = File.OpenHandle(file);
        var path = Path.Combine(_dir, "closed.sock");
        _reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingStreamProtocol
        {
            OnMade = p =>
            {
                ((IUnixTransport)p.Transport).SendFileDescriptor((int)cargo.DangerousGetHandle());
                p.Transport.Write("x"u8);
            },
        }));
        var client = new PlainProtocol();
        _reactor.ConnectUnix(path, new ClientFactory(() => client));
        IterateUntil(_reactor, () => client.Bytes == 1, "the byte");
        // Only our own handle still refers to the file: the copy that arrived was closed.
        Assert.That(DescriptorsOpenOn(file), Is.EqualTo(1));
    }

    private static int DescriptorsOpenOn(string file) =>
        new DirectoryInfo("/proc/self/fd").GetFiles().Count(link => link.LinkTarget == file);

    private sealed class PlainProtocol : Protocol
    {
        public int Bytes;

        public override void DataReceived(ReadOnlySpan<byte> data) => Bytes += data.Length;
    }

    // The done-when case: an open file passed to another process and read there, both ways.
    [Test]
    public void AnOpenFileIsPassedToAnotherProcessAndReadThere()
    {
        var python = ExternalTool.Require("python3");
        var path = Path.Combine(_dir, "xproc.sock");
        var ours = Path.Combine(_dir, "ours.txt");
        File.WriteAllText(ours, "written by the reactor's process");
        using var ourFile = File.OpenHandle(ours);
        var theirs = Path.Combine(_dir, "theirs.txt");
        File.WriteAllText(theirs, "written by python");

        var server = new RecordingStreamProtocol
        {
            OnMade = p =>
            {
                ((IUnixTransport)p.Transport).SendFileDescriptor((int)ourFile.DangerousGetHandle());
                p.Transport.Write("F"u8);
            },
        };
        _reactor.ListenUnix(path, Factory.ForProtocol(() => server));

        // The peer: receives our descriptor and prints what it reads from it, then sends its own file's descriptor back.
        const string script = """
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            data, fds, flags, addr = socket.recv_fds(s, 1, 4)
            os.lseek(fds[0], 0, 0)
            print(data.decode() + ":" + os.read(fds[0], 1000).decode(), flush=True)
            theirs = os.open(sys.argv[2], os.O_RDONLY)
            socket.send_fds(s, [b"P"], [theirs])
            s.recv(1)
            """;
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(theirs);
        using var peer = Process.Start(start)!;
        try
        {
            IterateUntil(_reactor, () => server.Descriptors.Count == 1 && server.Received.Length == 1, "python's descriptor");
            Assert.That(server.ReceivedText, Is.EqualTo("P"));
            Assert.That(ReadAll(server.Descriptors[0]), Is.EqualTo("written by python"));
            server.Transport.LoseConnection();
            IterateUntil(_reactor, () => server.Lost is not null, "the close");
            Assert.That(peer.WaitForExit(20_000), Is.True, "python exits once the connection closes");
            Assert.That(peer.StandardOutput.ReadToEnd().Trim(), Is.EqualTo("F:written by the reactor's process"), peer.StandardError.ReadToEnd());
        }
        finally
        {
            if (!peer.HasExited) peer.Kill();
        }
    }
}
