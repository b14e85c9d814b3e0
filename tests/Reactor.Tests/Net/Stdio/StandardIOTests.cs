using System.Text;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Stdio;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Stdio;

/// <summary>
/// StandardIO over descriptors the test controls: pipes (watched by the selector), a regular file
/// and /dev/null on stdin (refused by epoll, read a buffer per iteration), a regular file on stdout.
/// Terminals are covered by running the stdio example on a pseudo-terminal (Examples tests).
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed unsafe class StandardIOTests(SelectorKind kind)
{
    private CapturingLogger _logger = null!;
    private ReactorLoop _reactor = null!;
    private readonly List<int> _fds = new();

    [SetUp]
    public void SetUp()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Linux descriptors");
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _logger });
    }

    [TearDown]
    public void TearDown()
    {
        _reactor?.Dispose();
        foreach (var fd in _fds) LibcSyscalls.Instance.Close(fd, out _);
        _fds.Clear();
    }

    private (int Read, int Write) Pipe()
    {
        Assert.That(LibcSyscalls.Instance.CreatePipe(out var r, out var w, out _), Is.Zero);
        LibcSyscalls.Instance.SetNonBlocking(r, false, out _);
        LibcSyscalls.Instance.SetNonBlocking(w, false, out _);
        _fds.Add(r);
        _fds.Add(w);
        return (r, w);
    }

    private void Forget(int fd)
    {
        LibcSyscalls.Instance.Close(fd, out _);
        _fds.Remove(fd);
    }

    private static void WriteAll(int fd, byte[] data)
    {
        fixed (byte* p = data)
        {
            Assert.That((int)LibcSyscalls.Instance.Write(fd, p, data.Length, out _), Is.EqualTo(data.Length));
        }
    }

    private static string ReadAvailable(int fd)
    {
        var buffer = new byte[65536];
        var result = new StringBuilder();
        LibcSyscalls.Instance.SetNonBlocking(fd, true, out _);
        fixed (byte* p = buffer)
        {
            nint n;
            while ((n = LibcSyscalls.Instance.Read(fd, p, buffer.Length, out _)) > 0) result.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
        }
        return result.ToString();
    }

    /// <summary>Echoes every byte, upper-cased; half-closeable when asked.</summary>
    private class UpperEcho : Protocol
    {
        public readonly List<string> Events = new();
        public Failure? Lost;

        public override void ConnectionMade() => Events.Add("ConnectionMade");

        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(data).ToUpperInvariant()));

        public override void ConnectionLost(Failure reason)
        {
            Events.Add("ConnectionLost");
            Lost = reason;
        }
    }

    private sealed class HalfCloseUpperEcho : UpperEcho, IHalfCloseableProtocol
    {
        public void ReadConnectionLost()
        {
            Events.Add("ReadConnectionLost");
            Transport.Write("bye\n"u8);
            ((IStreamTransport)Transport).LoseWriteConnection();
        }

        public void WriteConnectionLost() => Events.Add("WriteConnectionLost");
    }

    [Test]
    public void PipesAreATransportAndEndOfInputClosesAPlainProtocol()
    {
        var input = Pipe();
        var output = Pipe();
        var protocol = new UpperEcho();
        var stdio = new StandardIO(protocol, _reactor, input.Read, output.Write);
        WriteAll(input.Write, "hello\n"u8.ToArray());
        _reactor.RunUntil(() => stdio.PendingBytes == 0 && protocol.Events.Count == 1 && HasData(output.Read), "the echo");
        Forget(input.Write);
        _reactor.RunUntil(() => protocol.Lost is not null, "end of stdin closes the transport");
        Assert.Multiple(() =>
        {
            Assert.That(ReadAvailable(output.Read), Is.EqualTo("HELLO\n"));
            Assert.That(protocol.Lost!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(stdio.GetPeer().ToString(), Is.EqualTo("stdio"));
        });
    }

    private static bool HasData(int fd)
    {
        var poll = new PollFd { Fd = fd, Events = NativeConstants.POLLIN };
        return LibcSyscalls.Instance.Poll(&poll, 1, 0, out _) == 1;
    }

    [Test]
    public void AHalfCloseableProtocolMayStillWriteAfterEndOfInput()
    {
        var input = Pipe();
        var output = Pipe();
        var protocol = new HalfCloseUpperEcho();
        _ = new StandardIO(protocol, _reactor, input.Read, output.Write);
        WriteAll(input.Write, "abc"u8.ToArray());
        Forget(input.Write);
        _reactor.RunUntil(() => protocol.Lost is not null, "both directions close");
        Assert.Multiple(() =>
        {
            Assert.That(ReadAvailable(output.Read), Is.EqualTo("ABCbye\n"));
            Assert.That(protocol.Events, Is.EqualTo(new[] { "ConnectionMade", "ReadConnectionLost", "WriteConnectionLost", "ConnectionLost" }));
        });
    }

    // On every backend; epoll refuses a regular file, which StandardIO then reads a buffer per iteration.
    [Test]
    public void ARegularFileOnStdinIsReadToTheEnd()
    {
        var path = Path.GetTempFileName();
        try
        {
            // Larger than the read buffer, so it takes several iterations.
            var content = string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i}\n"));
            File.WriteAllText(path, content);
            using var file = File.OpenHandle(path);
            var output = Pipe();
            var protocol = new CountingProtocol();
            _ = new StandardIO(protocol, _reactor, (int)file.DangerousGetHandle(), output.Write);
            _reactor.RunUntil(() => protocol.Lost is not null, "the whole file is read");
            Assert.That(protocol.Count, Is.EqualTo(content.Length));
            Assert.That(protocol.Lost!.Value, Is.TypeOf<ConnectionDone>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class CountingProtocol : Protocol
    {
        public long Count;
        public Failure? Lost;

        public override void DataReceived(ReadOnlySpan<byte> data) => Count += data.Length;

        public override void ConnectionLost(Failure reason) => Lost = reason;
    }

    [Test]
    public void DevNullOnStdinIsEndOfFileAtOnce()
    {
        using var devNull = File.OpenHandle("/dev/null");
        var output = Pipe();
        var protocol = new HalfCloseUpperEcho();
        _ = new StandardIO(protocol, _reactor, (int)devNull.DangerousGetHandle(), output.Write);
        _reactor.RunUntil(() => protocol.Lost is not null, "EOF from /dev/null");
        Assert.That(protocol.Events, Is.EqualTo(new[] { "ConnectionMade", "ReadConnectionLost", "WriteConnectionLost", "ConnectionLost" }));
        Assert.That(ReadAvailable(output.Read), Is.EqualTo("bye\n"));
    }

    [Test]
    public void ARegularFileOnStdoutTakesEveryWrite()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write))
            {
                var input = Pipe();
                var protocol = new UpperEcho();
                _ = new StandardIO(protocol, _reactor, input.Read, (int)file.DangerousGetHandle());
                var big = new string('x', 1 << 20);
                WriteAll(input.Write, Encoding.ASCII.GetBytes("small\n"));
                Forget(input.Write);
                _reactor.RunUntil(() => protocol.Lost is not null, "stdin ends");
            }
            Assert.That(File.ReadAllText(path), Is.EqualTo("SMALL\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void TheOriginalDescriptorsStayOpenWithTheirFlags()
    {
        var input = Pipe();
        var output = Pipe();
        var flagsBefore = LibcSyscalls.Instance.Fcntl(input.Read, NativeConstants.F_GETFL, 0, out _);
        var protocol = new UpperEcho();
        var stdio = new StandardIO(protocol, _reactor, input.Read, output.Write);
        Assert.That(LibcSyscalls.Instance.Fcntl(input.Read, NativeConstants.F_GETFL, 0, out _) & NativeConstants.O_NONBLOCK, Is.Not.Zero, "non-blocking while in use");
        stdio.LoseConnection();
        _reactor.RunUntil(() => protocol.Lost is not null, "closed");
        Assert.Multiple(() =>
        {
            Assert.That(LibcSyscalls.Instance.Fcntl(input.Read, NativeConstants.F_GETFL, 0, out _), Is.EqualTo(flagsBefore), "flags restored");
            Assert.That(LibcSyscalls.Instance.Fcntl(output.Write, NativeConstants.F_GETFL, 0, out _), Is.Not.Negative, "still open");
        });
    }

    [Test]
    public void StdoutClosedByItsReaderEndsAPlainProtocol()
    {
        var input = Pipe();
        var output = Pipe();
        var protocol = new UpperEcho();
        _ = new StandardIO(protocol, _reactor, input.Read, output.Write);
        Forget(output.Read);
        _reactor.RunUntil(() => protocol.Lost is not null, "the reader of stdout going away is noticed without writing");
    }
}
