using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints.Internal;

/// <summary>
/// Stands between a client transport and the user's protocol so the endpoint learns when the
/// connection is made (Twisted's <c>_WrappingProtocol</c>): it forwards every call and fires the
/// connect Deferred once the user's <c>ConnectionMade</c> has returned.
/// </summary>
internal class ConnectingProtocol : IProtocol
{
    private readonly Action<IProtocol, Exception?> _onMade;

    protected ConnectingProtocol(IProtocol wrapped, Action<IProtocol, Exception?> onMade)
    {
        Wrapped = wrapped;
        _onMade = onMade;
    }

    /// <summary>The user's protocol.</summary>
    public IProtocol Wrapped { get; }

    /// <summary>
    /// Wraps <paramref name="wrapped"/>, keeping its half-close capability visible to the transport
    /// (a transport asks <c>is IHalfCloseableProtocol</c> to decide what a FIN means).
    /// </summary>
    public static ConnectingProtocol Wrap(IProtocol wrapped, Action<IProtocol, Exception?> onMade) =>
        wrapped is IHalfCloseableProtocol ? new HalfCloseable(wrapped, onMade) : new ConnectingProtocol(wrapped, onMade);

    public void MakeConnection(ITransport transport)
    {
        try
        {
            Wrapped.MakeConnection(transport);
        }
        catch (Exception e)
        {
            _onMade(Wrapped, e);
            throw;
        }
        _onMade(Wrapped, null);
    }

    public void DataReceived(ReadOnlySpan<byte> data) => Wrapped.DataReceived(data);

    public void ConnectionLost(Failure reason) => Wrapped.ConnectionLost(reason);

    private sealed class HalfCloseable(IProtocol wrapped, Action<IProtocol, Exception?> onMade)
        : ConnectingProtocol(wrapped, onMade), IHalfCloseableProtocol
    {
        public void ReadConnectionLost() => ((IHalfCloseableProtocol)Wrapped).ReadConnectionLost();

        public void WriteConnectionLost() => ((IHalfCloseableProtocol)Wrapped).WriteConnectionLost();
    }
}
