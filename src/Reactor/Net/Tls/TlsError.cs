using System.Net.Security;
using Reactor.Errors;

namespace Reactor.Net.Tls;

/// <summary>
/// A TLS connection failed at the TLS level: what <c>ConnectionLost</c> receives when the
/// handshake fails or a certificate is refused. <see cref="Exception.InnerException"/> holds the
/// platform's error (usually an <see cref="System.Security.Authentication.AuthenticationException"/>).
/// </summary>
public class TlsError : ConnectionLost
{
    /// <summary>Creates the error.</summary>
    /// <param name="kind">Which stage failed.</param>
    /// <param name="message">The cause, in words.</param>
    /// <param name="inner">The platform's error.</param>
    /// <param name="policyErrors">What was wrong with the peer's certificate, when it was rejected.</param>
    public TlsError(TlsErrorKind kind, string message, Exception? inner = null, SslPolicyErrors policyErrors = SslPolicyErrors.None)
        : base(message, inner)
    {
        Kind = kind;
        PolicyErrors = policyErrors;
    }

    /// <summary>Which stage failed.</summary>
    public TlsErrorKind Kind { get; }

    /// <summary>What was wrong with the peer's certificate when this side rejected it; <see cref="SslPolicyErrors.None"/> otherwise.</summary>
    public SslPolicyErrors PolicyErrors { get; }
}
