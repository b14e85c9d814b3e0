namespace Reactor.Defer;

/// <summary>A <see cref="Cooperator"/> or one of its tasks was in the wrong state for the operation (Twisted's <c>SchedulerError</c>).</summary>
public class SchedulerError : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public SchedulerError(string message) : base(message) { }
}

/// <summary>The cooperator was stopped while the task ran, or before it was added (Twisted's <c>SchedulerStopped</c>).</summary>
public class SchedulerStopped : SchedulerError
{
    /// <summary>Creates the error.</summary>
    public SchedulerStopped() : base("The cooperator was stopped.") { }
}

/// <summary>The task has permanently stopped running (Twisted's <c>TaskFinished</c>).</summary>
public class TaskFinished : SchedulerError
{
    /// <summary>Creates the error.</summary>
    public TaskFinished(string message) : base(message) { }
}

/// <summary>The task already completed (Twisted's <c>TaskDone</c>).</summary>
public class TaskDone : TaskFinished
{
    /// <summary>Creates the error.</summary>
    public TaskDone() : base("The task already completed.") { }
}

/// <summary>The task was stopped (Twisted's <c>TaskStopped</c>).</summary>
public class TaskStopped : TaskFinished
{
    /// <summary>Creates the error.</summary>
    public TaskStopped() : base("The task was stopped.") { }
}

/// <summary>The task died with an unhandled error (Twisted's <c>TaskFailed</c>).</summary>
public class TaskFailed : TaskFinished
{
    /// <summary>Creates the error.</summary>
    public TaskFailed() : base("The task failed.") { }
}

/// <summary>A task that was not paused was resumed (Twisted's <c>NotPaused</c>).</summary>
public class NotPaused : SchedulerError
{
    /// <summary>Creates the error.</summary>
    public NotPaused() : base("The task is not paused.") { }
}
