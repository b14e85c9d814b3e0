using Reactor.Net.Stream;
using Reactor.Protocols;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// Calls into the transport underneath. After STARTTLS that transport is also the one the
/// application holds, and its public members route to this layer; so this layer uses the
/// transport's raw operations (<see cref="IStreamLayerHost"/>), which never route. Under
/// ListenSsl/ConnectSsl (this layer is an ordinary protocol) or a transport that carries no layer,
/// the public members are the transport's own.
/// </summary>
internal sealed partial class TlsLayer : IStreamLayer
{
    // The transport underneath when it can carry this layer; null: call its public members.
    private IStreamLayerHost? _host;

    private void DownWrite(ReadOnlySpan<byte> data)
    {
        if (_host is { } host) host.RawWrite(data);
        else _underlying!.Write(data);
    }

    private void DownLoseConnection()
    {
        if (_host is { } host) host.RawLoseConnection();
        else _underlying!.LoseConnection();
    }

    private void DownLoseWriteConnection()
    {
        if (_host is { } host) host.RawLoseWriteConnection();
        else _underlying!.LoseWriteConnection();
    }

    private void DownAbortConnection()
    {
        if (_host is { } host) host.RawAbortConnection();
        else _underlying!.AbortConnection();
    }

    private void DownPauseProducing()
    {
        if (_host is { } host) host.RawPauseProducing();
        else _underlying!.PauseProducing();
    }

    private void DownResumeProducing()
    {
        if (_host is { } host) host.RawResumeProducing();
        else _underlying!.ResumeProducing();
    }

    private void DownRegisterProducer(IProducer producer, bool streaming)
    {
        if (_host is { } host) host.RawRegisterProducer(producer, streaming);
        else _underlying!.RegisterProducer(producer, streaming);
    }

    private void DownUnregisterProducer()
    {
        if (_host is { } host) host.RawUnregisterProducer();
        else _underlying!.UnregisterProducer();
    }
}
