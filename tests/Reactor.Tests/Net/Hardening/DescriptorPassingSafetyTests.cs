using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Unix;
using Reactor.Protocols;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 8: descriptors passed with SCM_RIGHTS are duplicated when <c>SendFileDescriptor</c>
/// is called (the sender may close its own at once), the copy is closed once sent, and a received
/// descriptor whose handler throws is closed instead of leaked.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[UnsupportedOSPlatform("windows")]
public sealed class DescriptorPassingSafetyTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("counts open descriptors through /proc/self/fd");
        _reactor = CreateReactor(out _, kind);
        _dir = TempDirectory();
    }

    [TearDown]
    public void TearDown()
    {
        _reactor?.Dispose();
        if (_dir is not null) Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void TheSenderMayCloseItsDescriptorRightAfterSendFileDescriptor()
    {
        var file = Path.Combine(_dir, "cargo.txt");
        File.WriteAllText(file, "still readable");
        var path = Path.Combine(_dir, "fd.sock");
        _reactor.ListenUnix(path, Factory.ForProtocol(() => new SendsThenCloses(file)));
        var client = new Receiver();
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => client));
        IterateUntil(_reactor, () => client.LostReason is not null, "the server to send and close");

        Assert.That(client.Received, Has.Count.EqualTo(1), "the descriptor arrived although the sender closed its own");
        using (var stream = new FileStream(new SafeFileHandle(client.Received[0], ownsHandle: true), FileAccess.Read))
        {
            Assert.That(new StreamReader(stream).ReadToEnd(), Is.EqualTo("still readable"));
        }
        Assert.That(OpenDescriptorsTo(file), Is.Zero, "no copy is left open once the file is closed here");
    }

    [Test]
    public void AReceivedDescriptorWhoseHandlerThrowsIsClosed()
    {
        var file = Path.Combine(_dir, "cargo.txt");
        File.WriteAllText(file, "x");
        var path = Path.Combine(_dir, "fd.sock");
        _reactor.ListenUnix(path, Factory.ForProtocol(() => new SendsThenCloses(file)));
        var client = new Receiver { Throw = true };
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => client));
        IterateUntil(_reactor, () => client.LostReason is not null, "the server to send and close");

        Assert.That(client.Received, Has.Count.EqualTo(1), "the handler was called");
        Assert.That(OpenDescriptorsTo(file), Is.Zero, "the descriptor the handler failed to take was closed");
    }

    /// <summary>How many of this process's descriptors are open on <paramref name="file"/>.</summary>
    private static int OpenDescriptorsTo(string file) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd").Count(link =>
        {
            try
            {
                return new FileInfo(link).LinkTarget == file;
            }
            catch (IOException)
            {
                return false;
            }
        });

    /// <summary>Queues a descriptor of <paramref name="file"/>, closes its own at once, then writes the byte it travels with.</summary>
    private sealed class SendsThenCloses(string file) : Protocol
    {
        public override void ConnectionMade()
        {
            using (var handle = File.OpenHandle(file))
            {
                ((IUnixTransport)Transport).SendFileDescriptor((int)handle.DangerousGetHandle());
            }
            Transport.Write("!"u8);
            Transport.LoseConnection();
        }
    }

    private sealed class Receiver : Protocol, IFileDescriptorReceiver
    {
        public bool Throw { get; init; }

        public List<int> Received { get; } = [];

        public Failure? LostReason { get; private set; }

        public void FileDescriptorReceived(int fileDescriptor)
        {
            Received.Add(fileDescriptor);
            if (Throw) throw new InvalidOperationException("the handler fails before it takes the descriptor");
        }

        public override void ConnectionLost(Failure reason) => LostReason = reason;
    }
}
