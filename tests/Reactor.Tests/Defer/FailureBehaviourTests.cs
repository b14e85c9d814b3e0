using System.Runtime.CompilerServices;
using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Tests.Defer;

/// <summary>Failure: Trap / Check / Value / GetTraceback (issue 3 §3), ported from Twisted's test_failure.py.</summary>
public class FailureBehaviourTests
{
    private sealed class SystemExitError : Exception;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Failure ThrownFailure(Exception e)
    {
        try
        {
            ThrowIt(e);
            throw new AssertionException("unreachable");
        }
        catch (Exception caught)
        {
            return new Failure(caught);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowIt(Exception e) => throw e;

    // twisted: test_failure.FailureTests.test_failAndTrap
    [Test]
    public void TrapReturnsTheFirstMatchingTypeAndLeavesTheFailureAlone()
    {
        var f = ThrownFailure(new NotSupportedException("test"));
        Assert.That(f.Trap(typeof(SystemExitError), typeof(SystemException)), Is.EqualTo(typeof(SystemException)));
        Assert.That(f.Type, Is.EqualTo(typeof(NotSupportedException)));
    }

    // twisted: test_failure.FailureTests.test_trapRaisesWrappedException
    [Test]
    public void TrapRethrowsTheSameExceptionWhenNothingMatches()
    {
        var exception = new ArgumentException("x");
        var f = ThrownFailure(exception);
        var untrapped = Assert.Throws<ArgumentException>(() => f.Trap(typeof(OverflowException)));
        Assert.That(untrapped, Is.SameAs(exception));
        Assert.That(untrapped!.StackTrace, Does.Contain(nameof(ThrowIt)), "the original stack is preserved");
    }

    [Test]
    public void CheckReturnsTheMatchingTypeOrNullAndNeverThrows()
    {
        var f = new Failure(new ConnectionRefusedError());
        Assert.That(f.Check(typeof(TimeoutError), typeof(ConnectError)), Is.EqualTo(typeof(ConnectError)));
        Assert.That(f.Check(typeof(TimeoutError)), Is.Null);
        Assert.That(f.Check(), Is.Null);
    }

    [Test]
    public void ValueIsTheWrappedException()
    {
        var exception = new InvalidOperationException("boom");
        var f = new Failure(exception);
        Assert.That(f.Value, Is.SameAs(exception));
        Assert.That(f.GetErrorMessage(), Is.EqualTo("InvalidOperationException: boom"));
    }

    [Test]
    public void TracebackOfAThrownExceptionShowsTypeMessageAndTheThrowingFrame()
    {
        var f = ThrownFailure(new InvalidOperationException("boom"));
        var tb = f.GetTraceback();
        Assert.That(tb, Does.Contain(typeof(InvalidOperationException).FullName));
        Assert.That(tb, Does.Contain("boom"));
        Assert.That(tb, Does.Contain(nameof(ThrowIt)));
        Assert.That(tb, Does.Not.Contain("no frames"));
    }

    // twisted: test_failure.FailureTests.test_failureWithoutTraceback (a never-raised exception still yields a Failure)
    [Test]
    public void TracebackOfANeverThrownExceptionSaysWhereTheFailureWasMade()
    {
        var f = new Failure(new InvalidOperationException("never thrown"));
        var tb = f.GetTraceback();
        Assert.That(tb, Does.Contain("no frames"));
        Assert.That(tb, Does.Contain("Failure created at:"));
        Assert.That(tb, Does.Contain(nameof(TracebackOfANeverThrownExceptionSaysWhereTheFailureWasMade)));
    }

    [Test]
    public void NullExceptionIsRefused() =>
        Assert.Throws<ArgumentNullException>(() => _ = new Failure(null!));
}
