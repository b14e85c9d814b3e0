using Reactor.Native;
using Reactor.Net.Unix;
using Reactor.Protocols;

namespace Reactor;

public sealed partial class ReactorLoop
{
    /// <summary>
    /// Two connected UNIX stream sockets on this reactor, one protocol on each end (Python's
    /// <c>socket.socketpair()</c>, already adopted the way Twisted's <c>adoptStreamConnection</c>
    /// would): what one writes the other receives, with the reactor's real transports in between
    /// (flow control, half-close, descriptor passing). For tests and for pipelines inside one
    /// process. Both protocols are connected (their <c>ConnectionMade</c> runs) before this returns;
    /// both ends' addresses are <see cref="UnnamedUnixEndPoint"/>.
    /// </summary>
    /// <param name="first">The protocol on the first end.</param>
    /// <param name="second">The protocol on the second end.</param>
    /// <returns>The two transports, in the order of the protocols.</returns>
    /// <exception cref="ArgumentException">Both arguments are the same protocol object.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The OS refused the pair (EMFILE, ENFILE...).</exception>
    /// <exception cref="InvalidOperationException">Called from another thread while the reactor runs (use <c>CallFromThread</c>).</exception>
    public (IUnixTransport First, IUnixTransport Second) SocketPair(IProtocol first, IProtocol second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (ReferenceEquals(first, second)) throw new ArgumentException("Each end needs its own protocol object.", nameof(second));
        ThrowIfDisposed();
        CheckReactorThread(nameof(SocketPair));
        var syscalls = ((Net.Internal.ITransportHost)this).Syscalls;
        if (syscalls.CreateSocketPair(NativeConstants.SOCK_STREAM, out var fd0, out var fd1, out var errno) < 0) throw errno.ToSocketException();

        var a = new UnixConnection(this, fd0, UnnamedUnixEndPoint.Instance, UnnamedUnixEndPoint.Instance);
        var b = new UnixConnection(this, fd1, UnnamedUnixEndPoint.Instance, UnnamedUnixEndPoint.Instance);
        try
        {
            a.Start(first);
        }
        catch
        {
            // Start closed fd0; the peer end was never started, so close it here.
            syscalls.Close(fd1, out _);
            throw;
        }
        try
        {
            b.Start(second);
        }
        catch
        {
            // Start closed fd1; the first end sees the loss from the loop as a reset.
            a.AbortConnection();
            throw;
        }
        return (a, b);
    }
}
