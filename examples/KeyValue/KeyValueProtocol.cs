using System.Text;
using Reactor.Defer;
using Reactor.Protocols.Basic;
using Reactor.Protocols.Policies;
using Reactor.Time;

namespace Reactor.Examples.KeyValue;

/// <summary>
/// One client of the store. Commands are lines (LF or CRLF): <c>SET key value</c> → <c>OK</c>,
/// <c>GET key</c> → <c>VALUE value</c> or <c>NOT_FOUND</c>, <c>DEL key</c> → <c>DELETED</c> or
/// <c>NOT_FOUND</c>, <c>QUIT</c> → <c>BYE</c> and close. Anything else → <c>ERROR …</c>. Replies end
/// with LF. A connection silent for the idle timeout hears <c>BYE idle</c> and is closed.
/// </summary>
public sealed class KeyValueProtocol : LineReceiver
{
    /// <summary>The longest command line accepted, in bytes.</summary>
    public const int MaxLineLength = 1024;

    private readonly Store _store;
    private readonly IdleTimeout _idle;
    private readonly TimeSpan? _idleTimeout;

    /// <summary>A protocol for one connection to <paramref name="store"/>.</summary>
    public KeyValueProtocol(Store store, IReactorTime clock, TimeSpan? idleTimeout)
    {
        _store = store;
        _idleTimeout = idleTimeout;
        _idle = new IdleTimeout(clock, CloseIdle);
        Delimiter = "\n"u8; // a trailing CR is stripped below, so telnet's CRLF works too
        MaxLength = MaxLineLength;
    }

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        _store.Connections++;
        _idle.SetTimeout(_idleTimeout);
    }

    /// <inheritdoc/>
    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        _idle.ResetTimeout();
        _store.CommandsSinceReport++;
        if (line.EndsWith("\r"u8)) line = line[..^1];
        var words = Encoding.UTF8.GetString(line).Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["SET", var key, var value]:
                Reply(_store.TrySet(key, value) ? "OK" : $"ERROR full ({_store.MaxKeys} keys)");
                break;
            case ["GET", var key]:
                Reply(_store.TryGet(key, out var found) ? $"VALUE {found}" : "NOT_FOUND");
                break;
            case ["DEL", var key]:
                Reply(_store.Delete(key) ? "DELETED" : "NOT_FOUND");
                break;
            case ["QUIT"]:
                Reply("BYE");
                Transport.LoseConnection();
                break;
            default:
                Reply("ERROR expected SET key value, GET key, DEL key or QUIT");
                break;
        }
    }

    /// <inheritdoc/>
    public override void LineLengthExceeded(ReadOnlySpan<byte> line)
    {
        Reply($"ERROR line longer than {MaxLineLength} bytes");
        Transport.LoseConnection();
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        _idle.Dispose();
        _store.Connections--;
    }

    private void CloseIdle()
    {
        _store.IdleClosed++;
        Reply("BYE idle");
        Transport.LoseConnection();
    }

    private void Reply(string text)
    {
        Transport.Write(Encoding.UTF8.GetBytes(text));
        Transport.Write("\n"u8);
    }
}
