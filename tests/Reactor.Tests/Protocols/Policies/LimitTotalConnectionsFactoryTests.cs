using Reactor.Protocols;
using Reactor.Protocols.Policies;
using Reactor.Tests.Testing;
using static Reactor.Tests.Protocols.Policies.PolicyTestSupport;

namespace Reactor.Tests.Protocols.Policies;

// Ports of twisted/test/test_policies.py LimitTotalConnectionsFactoryTests.
public class LimitTotalConnectionsFactoryTests
{
    [Test]
    public void RefusesPastTheLimitAndCountsDownOnLoss()
    {
        // test_connectionCounting / test_connectionLimiting
        var factory = new LimitTotalConnectionsFactory(new RecordingFactory(), connectionLimit: 2);
        var (_, t1) = Connect(factory);
        Connect(factory);
        Assert.That(factory.ConnectionCount, Is.EqualTo(2));
        Assert.That(factory.BuildProtocol(Peer), Is.Null);
        t1.LoseConnection();
        Assert.That(factory.ConnectionCount, Is.EqualTo(1));
        Assert.That(factory.BuildProtocol(Peer), Is.Not.Null);
    }

    [Test]
    public void OverflowProtocolServesExtraConnectionsAndCounts()
    {
        // test_overflow
        var overflow = new List<RecordingProtocol>();
        var factory = new LimitTotalConnectionsFactory(new RecordingFactory(), connectionLimit: 1,
            overflowProtocol: () => { var p = new RecordingProtocol(); overflow.Add(p); return p; });
        Connect(factory);
        var (_, t2) = Connect(factory);
        Assert.That(overflow, Has.Count.EqualTo(1));
        Assert.That(factory.ConnectionCount, Is.EqualTo(2));
        t2.LoseConnection();
        Assert.That(factory.ConnectionCount, Is.EqualTo(1));
    }

    [Test]
    public void NoLimitByDefault()
    {
        var factory = new LimitTotalConnectionsFactory(new RecordingFactory());
        for (var i = 0; i < 100; i++) Connect(factory);
        Assert.That(factory.ConnectionCount, Is.EqualTo(100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LimitTotalConnectionsFactory(Factory.ForProtocol(() => null), -1));
    }
}
