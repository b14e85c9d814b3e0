namespace Reactor.Protocols.Basic;

/// <summary>What was wrong with a malformed netstring.</summary>
public enum NetstringErrorKind
{
    /// <summary>The netstring does not start with a length (a non-digit, or ':' with no digits).</summary>
    MissingLength,

    /// <summary>The length has a leading zero ("01:"), which netstrings forbid.</summary>
    LeadingZero,

    /// <summary>The length is larger than the receiver's maximum.</summary>
    TooLong,

    /// <summary>The length digits are followed by something other than ':'.</summary>
    MissingColon,

    /// <summary>The payload is not followed by ','.</summary>
    MissingComma,
}

/// <summary>
/// Incoming data is not a valid netstring (Twisted's <c>NetstringParseError</c>); the
/// <see cref="NetstringReceiver"/> drops the connection and keeps this error as the reason.
/// </summary>
public class NetstringParseError : FormatException
{
    /// <summary>Creates the error.</summary>
    public NetstringParseError(NetstringErrorKind kind, string message) : base(message) => Kind = kind;

    /// <summary>What was wrong.</summary>
    public NetstringErrorKind Kind { get; }
}
