using Reactor.Defer;

namespace Reactor.Net.Processes;

/// <summary>
/// The base class for talking to a child process (Twisted's <c>ProcessProtocol</c>): override the
/// callbacks you need. Data on the child's stdout and stderr arrives in <see cref="OutReceived"/>
/// and <see cref="ErrReceived"/>, on other descriptors in <see cref="ChildDataReceived"/>.
/// </summary>
/// <example>
/// <code>
/// sealed class Ls : ProcessProtocol
/// {
///     public override void OutReceived(ReadOnlySpan&lt;byte&gt; data) => Console.Out.Write(Encoding.UTF8.GetString(data));
///     public override void ProcessEnded(Failure reason) => Console.WriteLine($"ended: {reason.Value.Message}");
/// }
/// reactor.SpawnProcess(new Ls(), "ls", ["ls", "-l"]);
/// </code>
/// </example>
/// <remarks>Threading: every callback runs on the reactor thread.</remarks>
public abstract class ProcessProtocol : IProcessProtocol
{
    private IProcessTransport? _transport;

    /// <summary>The child's transport; available from <see cref="ConnectionMade"/> on.</summary>
    /// <exception cref="InvalidOperationException">The process has not started yet.</exception>
    public IProcessTransport Transport => _transport ?? throw new InvalidOperationException("The process protocol has no transport yet: the process has not been spawned.");

    /// <inheritdoc/>
    public virtual void MakeConnection(IProcessTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        ConnectionMade();
    }

    /// <summary>The child has started; <see cref="Transport"/> is set.</summary>
    public virtual void ConnectionMade() { }

    /// <inheritdoc/>
    /// <remarks>Calls <see cref="OutReceived"/> for descriptor 1 and <see cref="ErrReceived"/> for 2; does nothing for others.</remarks>
    public virtual void ChildDataReceived(int childFd, ReadOnlySpan<byte> data)
    {
        if (childFd == 1) OutReceived(data);
        else if (childFd == 2) ErrReceived(data);
    }

    /// <summary>The child wrote to its stdout (valid during the call only).</summary>
    public virtual void OutReceived(ReadOnlySpan<byte> data) { }

    /// <summary>The child wrote to its stderr (valid during the call only).</summary>
    public virtual void ErrReceived(ReadOnlySpan<byte> data) { }

    /// <inheritdoc/>
    /// <remarks>Calls <see cref="InConnectionLost"/>, <see cref="OutConnectionLost"/> or <see cref="ErrConnectionLost"/> for 0, 1 and 2.</remarks>
    public virtual void ChildConnectionLost(int childFd)
    {
        switch (childFd)
        {
            case 0: InConnectionLost(); break;
            case 1: OutConnectionLost(); break;
            case 2: ErrConnectionLost(); break;
        }
    }

    /// <summary>The child's stdin is closed.</summary>
    public virtual void InConnectionLost() { }

    /// <summary>The child's stdout is closed.</summary>
    public virtual void OutConnectionLost() { }

    /// <summary>The child's stderr is closed.</summary>
    public virtual void ErrConnectionLost() { }

    /// <inheritdoc/>
    public virtual void ProcessExited(Failure reason) { }

    /// <inheritdoc/>
    public virtual void ProcessEnded(Failure reason) { }
}
