using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Core;

/// <summary>Something with a file descriptor that the reactor can watch (Twisted's <c>IFileDescriptor</c>).</summary>
public interface IFileDescriptor
{
    /// <summary>The OS file descriptor, or -1 once closed.</summary>
    int FileDescriptor { get; }

    /// <summary>Called once when the descriptor is dropped because a DoRead or DoWrite returned a reason.</summary>
    void ConnectionLost(Failure reason);
}

/// <summary>A descriptor that wants to know when it is readable (Twisted's <c>IReadDescriptor</c>).</summary>
public interface IReadDescriptor : IFileDescriptor
{
    /// <summary>
    /// Called when the descriptor is readable. Returning a non-null reason removes the descriptor
    /// from the reactor and calls <see cref="IFileDescriptor.ConnectionLost"/> with it.
    /// </summary>
    Exception? DoRead();
}

/// <summary>A descriptor that wants to know when it is writable (Twisted's <c>IWriteDescriptor</c>).</summary>
public interface IWriteDescriptor : IFileDescriptor
{
    /// <summary>
    /// Called when the descriptor is writable. Returning a non-null reason removes the descriptor
    /// from the reactor and calls <see cref="IFileDescriptor.ConnectionLost"/> with it.
    /// </summary>
    Exception? DoWrite();
}

/// <summary>Watching descriptors for readiness (Twisted's <c>IReactorFDSet</c>).</summary>
public interface IReactorFDSet
{
    /// <summary>Starts calling <see cref="IReadDescriptor.DoRead"/> whenever the descriptor is readable.</summary>
    void AddReader(IReadDescriptor reader);

    /// <summary>Starts calling <see cref="IWriteDescriptor.DoWrite"/> whenever the descriptor is writable.</summary>
    void AddWriter(IWriteDescriptor writer);

    /// <summary>Stops watching the descriptor for readability. Removing one not added does nothing.</summary>
    void RemoveReader(IReadDescriptor reader);

    /// <summary>Stops watching the descriptor for writability. Removing one not added does nothing.</summary>
    void RemoveWriter(IWriteDescriptor writer);

    /// <summary>Removes every reader and writer and returns them (Twisted's <c>removeAll</c>).</summary>
    IReadOnlyList<IFileDescriptor> RemoveAll();

    /// <summary>The descriptors being watched for readability.</summary>
    IReadOnlyList<IReadDescriptor> GetReaders();

    /// <summary>The descriptors being watched for writability.</summary>
    IReadOnlyList<IWriteDescriptor> GetWriters();
}
