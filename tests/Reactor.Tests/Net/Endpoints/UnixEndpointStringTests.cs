using Reactor.Net.Endpoints;
using Reactor.Net.Unix;
using Reactor.Testing;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>unix: description strings (Twisted's ParserTests.test_simpleUNIX / test_modeUNIX / test_wantPIDUNIX, ClientStringTests.test_unix*).</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class UnixEndpointStringTests
{
    private const string ServerKeys = "address, mode, backlog, lockfile";
    private const string ClientKeys = "path, timeout, lockfile";
    private const UnixFileMode Mode666 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
    private const UnixFileMode Mode660 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
    private readonly MemoryReactor _reactor = new();

    [Test]
    public void ServerWithModeAndLockfile()
    {
        var e = (UnixServerEndpoint)EndpointStrings.ServerFromString(_reactor, "unix:/tmp/x.sock:mode=660:lockfile=1");
        Assert.That((e.Path, e.Mode, e.WantPid), Is.EqualTo(("/tmp/x.sock", Mode660, true)));
    }

    [Test]
    public void ServerDefaultsAreTwisteds()
    {
        // Twisted: ParserTests.test_simpleUNIX: mode 0o666, wantPID True.
        var e = (UnixServerEndpoint)EndpointStrings.ServerFromString(_reactor, "unix:/var/run/finger");
        Assert.That((e.Path, e.Mode, e.WantPid, e.Backlog), Is.EqualTo(("/var/run/finger", Mode666, true, IReactorTcpDefaults.Backlog)));
    }

    [TestCase("unix:/var/run/finger:mode=0660")]
    [TestCase("unix:address=/var/run/finger:mode=660:lockfile=0:backlog=3")]
    public void ServerSpellings(string description)
    {
        // Twisted: ParserTests.test_modeUNIX ("mode=0660"), test_wantPIDUNIX ("lockfile=0").
        var e = (UnixServerEndpoint)EndpointStrings.ServerFromString(_reactor, description);
        Assert.That((e.Path, e.Mode), Is.EqualTo(("/var/run/finger", Mode660)));
    }

    [Test]
    public void ServerPathWithEscapedColonsAndEquals()
    {
        // Twisted: ParserTests.test_escape and test_impliedEscape.
        var e = (UnixServerEndpoint)EndpointStrings.ServerFromString(_reactor, "unix:foo\\:bar\\=baz\\:qux\\\\");
        Assert.That(e.Path, Is.EqualTo("foo:bar=baz:qux\\"));
        Assert.That(((UnixServerEndpoint)EndpointStrings.ServerFromString(_reactor, "unix:address=foo=bar")).Path, Is.EqualTo("foo=bar"));
    }

    [Test]
    public void ListenPassesEverythingToListenUnix()
    {
        var factory = new CountingFactory(() => null);
        SuccessResultOf(EndpointStrings.ServerFromString(_reactor, "unix:/tmp/s:mode=600:backlog=9:lockfile=0").Listen(factory));
        var (path, f, backlog, mode, wantPid) = _reactor.UnixServers.Single();
        Assert.That((path, f, backlog, mode, wantPid), Is.EqualTo(("/tmp/s", (object)factory, 9, UnixFileMode.UserRead | UnixFileMode.UserWrite, false)));
    }

    [Test]
    public void ClientWithEveryKey()
    {
        // Twisted: ClientStringTests.test_unix ("unix:path=/var/foo/bar:lockfile=1:timeout=9").
        var e = (UnixClientEndpoint)EndpointStrings.ClientFromString(_reactor, "unix:path=/var/foo/bar:lockfile=1:timeout=9");
        Assert.That((e.Path, e.Timeout, e.CheckPid), Is.EqualTo(("/var/foo/bar", TimeSpan.FromSeconds(9), true)));
    }

    [Test]
    public void ClientDefaultsAndPositionalPath()
    {
        // Twisted: ClientStringTests.test_unixDefaults (timeout 30, checkPID False), test_unixPathPositionalArg.
        var e = (UnixClientEndpoint)EndpointStrings.ClientFromString(_reactor, "unix:/tmp/x.sock");
        Assert.That((e.Path, e.Timeout, e.CheckPid), Is.EqualTo(("/tmp/x.sock", TimeSpan.FromSeconds(30), false)));
    }

    [Test]
    public void ClientConnectGoesThroughConnectUnix()
    {
        var protocol = new RecordingProtocol();
        var d = EndpointStrings.ClientFromString(_reactor, "unix:path=/tmp/x.sock:timeout=2:lockfile=1").Connect(new CountingFactory(() => protocol));
        Assert.That(_reactor.UnixClients.Single() is ("/tmp/x.sock", _, var t, true) && t == TimeSpan.FromSeconds(2), Is.True);
        _reactor.Connectors.Single().Succeed();
        Assert.That(SuccessResultOf(d), Is.SameAs(protocol));
    }

    [TestCase("unix:", "", "\"address\" must not be empty", ServerKeys)]
    [TestCase("unix:mode=600", null, "needs \"address\"", ServerKeys)]
    [TestCase("unix:/s:mode=999", "mode=999", "octal file mode", ServerKeys)]
    [TestCase("unix:/s:mode=1777", "mode=1777", "from 0 to 777", ServerKeys)]
    [TestCase("unix:/s:lockfile=yes", "lockfile=yes", "must be 0 or 1", ServerKeys)]
    [TestCase("unix:/s:path=/t", "path=/t", "\"path\" is not a key", ServerKeys)]
    [TestCase("unix:/s:/t", "/t", "unexpected positional argument", ServerKeys)]
    public void ServerErrors(string description, string? segment, string problem, string keys)
    {
        var e = Assert.Throws<EndpointParseError>(() => EndpointStrings.ServerFromString(_reactor, description))!;
        Assert.That((e.Segment, string.Join(", ", e.AcceptedKeys)), Is.EqualTo((segment, keys)));
        Assert.That(e.Message, Does.Contain(problem));
    }

    [TestCase("unix:timeout=3", null, "needs \"path\"", ClientKeys)]
    [TestCase("unix:/s:timeout=-1", "timeout=-1", "positive number of seconds", ClientKeys)]
    [TestCase("unix:/s:mode=600", "mode=600", "\"mode\" is not a key", ClientKeys)]
    public void ClientErrors(string description, string? segment, string problem, string keys)
    {
        var e = Assert.Throws<EndpointParseError>(() => EndpointStrings.ClientFromString(_reactor, description))!;
        Assert.That((e.Segment, string.Join(", ", e.AcceptedKeys)), Is.EqualTo((segment, keys)));
        Assert.That(e.Message, Does.Contain(problem));
    }

    [Test]
    public void AReactorWithoutUnixSocketsIsAnArgumentError() =>
        Assert.That(() => EndpointStrings.ServerFromString(new TcpOnlyReactor(), "unix:/s"),
            Throws.ArgumentException.With.Message.Contains("IReactorUnix"));
}
