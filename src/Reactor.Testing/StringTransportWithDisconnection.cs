using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Testing;

/// <summary>
/// A <see cref="StringTransport"/> that tells its protocol when it is closed (Twisted's
/// <c>StringTransportWithDisconnection</c>): <see cref="LoseConnection"/> calls
/// <c>ConnectionLost</c> with <see cref="ConnectionDone"/>, <see cref="AbortConnection"/> with
/// <see cref="ConnectionAborted"/>, each at most once.
/// </summary>
public class StringTransportWithDisconnection : StringTransport
{
    private bool _lost;

    /// <summary>Creates the transport; set <see cref="Protocol"/> before closing it.</summary>
    public StringTransportWithDisconnection(EndPoint? host = null, EndPoint? peer = null, bool lenient = false)
        : base(host, peer, lenient) { }

    /// <summary>The protocol told about the close.</summary>
    public IProtocol? Protocol { get; set; }

    /// <summary>True while the protocol has not been told the connection is gone.</summary>
    public bool Connected => !_lost;

    /// <inheritdoc/>
    public override void LoseConnection()
    {
        base.LoseConnection();
        ReportLost(new ConnectionDone("Bye."));
    }

    /// <inheritdoc/>
    public override void AbortConnection()
    {
        base.AbortConnection();
        ReportLost(new ConnectionAborted());
    }

    private void ReportLost(ConnectionError reason)
    {
        if (_lost) return;
        _lost = true;
        Protocol?.ConnectionLost(new Failure(reason));
    }
}
