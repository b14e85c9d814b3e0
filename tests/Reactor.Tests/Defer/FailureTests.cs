using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Tests.Defer;

public class FailureTests
{
    [Test]
    public void TrapReturnsMatchingTypeAndRethrowsOthers()
    {
        var f = new Failure(new ConnectionRefusedError());
        Assert.That(f.Trap(typeof(ConnectError)), Is.EqualTo(typeof(ConnectError)));
        Assert.Throws<ConnectionRefusedError>(() => f.Trap(typeof(TimeoutError)));
        Assert.That(f.Check(typeof(TimeoutError)), Is.Null);
    }
}
