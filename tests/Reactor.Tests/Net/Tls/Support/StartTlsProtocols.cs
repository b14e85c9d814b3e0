using System.Text;
using Reactor.Net.Tls;
using Reactor.Protocols;

namespace Reactor.Tests.Net.Tls.Support;

/// <summary>
/// The server half of a toy STARTTLS exchange: "STARTTLS\n" in clear is answered "GO\n" in
/// clear, then the connection is upgraded and every later byte is echoed, encrypted.
/// </summary>
internal sealed class StartTlsServer(TlsServerOptions options) : TlsRecorder
{
    private readonly StringBuilder _clear = new();
    private bool _upgraded;

    public string ClearText => _clear.ToString();
    public ITlsTransport? Tls2 { get; private set; }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (_upgraded)
        {
            base.DataReceived(data);
            Transport.Write(data);
            return;
        }
        _clear.Append(Encoding.ASCII.GetString(data));
        if (_clear.ToString() != "STARTTLS\n") return;
        Transport.Write("GO\n"u8);
        Tls2 = ((IStartTls)Transport).StartTls(options);
        _upgraded = true;
    }
}

/// <summary>The client half: asks for STARTTLS, upgrades on "GO\n", then sends its secret.</summary>
internal sealed class StartTlsClient(TlsClientOptions options, string secret) : TlsRecorder
{
    private readonly StringBuilder _clear = new();
    private bool _upgraded;

    public string ClearText => _clear.ToString();
    public ITlsTransport? Tls2 { get; private set; }

    public override void ConnectionMade()
    {
        base.ConnectionMade();
        Transport.Write("STARTTLS\n"u8);
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (_upgraded)
        {
            base.DataReceived(data);
            return;
        }
        _clear.Append(Encoding.ASCII.GetString(data));
        if (_clear.ToString() != "GO\n") return;
        Tls2 = ((IStartTls)Transport).StartTls(options);
        _upgraded = true;
        // Through TLS, held until the handshake is done.
        Transport.Write(Encoding.ASCII.GetBytes(secret));
    }
}
