using System.Net.Sockets;

namespace Reactor.Errors;

/// <summary>Base of every error that ends or prevents a connection (Twisted's <c>twisted.internet.error</c>).</summary>
public class ConnectionError : Exception
{
    /// <summary>Creates the error with a message.</summary>
    public ConnectionError(string message) : base(message) { }

    /// <summary>Creates the error with a message and the OS error behind it.</summary>
    public ConnectionError(string message, Exception? inner) : base(message, inner) { }

    /// <summary>The OS error code (errno) behind this error, if there was one.</summary>
    public SocketError? SocketErrorCode => (InnerException as SocketException)?.SocketErrorCode;
}

/// <summary>The connection was closed cleanly: every pending byte was sent, then FIN (Twisted's <c>ConnectionDone</c>).</summary>
public class ConnectionDone : ConnectionError
{
    /// <summary>Creates the error.</summary>
    public ConnectionDone(string message = "Connection was closed cleanly.") : base(message) { }
}

/// <summary>The connection was lost in a non-clean fashion (Twisted's <c>ConnectionLost</c>).</summary>
public class ConnectionLost : ConnectionError
{
    /// <summary>Creates the error.</summary>
    public ConnectionLost(string message = "Connection to the other side was lost in a non-clean fashion.", Exception? inner = null)
        : base(message, inner) { }
}

/// <summary>This side aborted the connection with <c>AbortConnection</c> (Twisted's <c>ConnectionAborted</c>).</summary>
public class ConnectionAborted : ConnectionLost
{
    /// <summary>Creates the error.</summary>
    public ConnectionAborted(string message = "Connection was aborted locally using AbortConnection.") : base(message) { }
}

/// <summary>A connection attempt failed (Twisted's <c>ConnectError</c>).</summary>
public class ConnectError : ConnectionError
{
    /// <summary>Creates the error.</summary>
    public ConnectError(string message = "An error occurred while connecting.", Exception? inner = null) : base(message, inner) { }
}

/// <summary>The peer refused the connection: ECONNREFUSED, or ICMP port-unreachable on connected UDP.</summary>
public class ConnectionRefusedError : ConnectError
{
    /// <summary>Creates the error.</summary>
    public ConnectionRefusedError(string message = "Connection was refused by the other side.", Exception? inner = null)
        : base(message, inner) { }
}

/// <summary>A host name could not be resolved (Twisted's <c>DNSLookupError</c>).</summary>
public class DnsLookupError : ConnectError
{
    /// <summary>Creates the error.</summary>
    public DnsLookupError(string message = "DNS lookup failed.", Exception? inner = null) : base(message, inner) { }
}

/// <summary>A user-specified timeout elapsed: a connect timeout, or <c>Deferred.AddTimeout</c> (Twisted's <c>TimeoutError</c>).</summary>
public class TimeoutError : ConnectError
{
    /// <summary>Creates the error.</summary>
    public TimeoutError(string message = "User timeout caused connection failure.", Exception? inner = null) : base(message, inner) { }
}

/// <summary>A connection attempt was cancelled with <c>StopConnecting</c> (Twisted's <c>UserError</c>).</summary>
public class UserError : ConnectError
{
    /// <summary>Creates the error.</summary>
    public UserError(string message = "User aborted connection.") : base(message) { }
}

/// <summary>Binding a listening socket failed (Twisted's <c>CannotListenError</c>).</summary>
public class CannotListenError : Exception
{
    /// <summary>Creates the error naming the address that could not be bound.</summary>
    public CannotListenError(string address, Exception? inner)
        : base($"Couldn't listen on {address}: {inner?.Message}", inner) => Address = address;

    /// <summary>The address (interface and port, or path) that could not be bound.</summary>
    public string Address { get; }
}
