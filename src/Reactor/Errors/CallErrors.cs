namespace Reactor.Errors;

/// <summary>A delayed call was cancelled, reset or delayed after it had already run (Twisted's <c>AlreadyCalled</c>).</summary>
public class AlreadyCalled : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public AlreadyCalled(string message = "The delayed call has already been called.") : base(message) { }
}

/// <summary>A delayed call was cancelled, reset or delayed after it had been cancelled (Twisted's <c>AlreadyCancelled</c>).</summary>
public class AlreadyCancelled : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public AlreadyCancelled(string message = "The delayed call has already been cancelled.") : base(message) { }
}

/// <summary>A reactor operation was used in the wrong state, e.g. <c>Run</c> on a running reactor (Twisted's <c>ReactorNotRunning</c> / <c>ReactorAlreadyRunning</c>).</summary>
public class ReactorStateError : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public ReactorStateError(string message) : base(message) { }
}
