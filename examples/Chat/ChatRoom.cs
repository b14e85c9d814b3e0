using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Protocols.Policies;
using Reactor.Time;

namespace Reactor.Examples.Chat;

/// <summary>The clients connected to one chat server, and the relay of a line to every other one.</summary>
public sealed class ChatRoom
{
    /// <summary>The longest line accepted, in bytes without its LF or CRLF.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>A client whose unsent backlog passes this many bytes has stopped reading: it is dropped.</summary>
    public const long SlowReaderLimit = 1024 * 1024;

    /// <summary>The idle timeout used unless --idle-timeout says otherwise.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(10);

    private readonly List<ChatClient> _clients = [];

    /// <summary>Creates a room timed by <paramref name="clock"/>; a client that sends nothing for <paramref name="idleTimeout"/> is disconnected (null: never).</summary>
    public ChatRoom(IReactorTime clock, TimeSpan? idleTimeout)
    {
        Clock = clock;
        IdleTimeout = idleTimeout;
    }

    /// <summary>The reactor that times idle clients and lingering closes.</summary>
    public IReactorTime Clock { get; }

    /// <summary>How long a client may send nothing before it is disconnected; null: no limit.</summary>
    public TimeSpan? IdleTimeout { get; }

    /// <summary>How many clients are connected.</summary>
    public int Count => _clients.Count;

    /// <summary>Adds a client that just connected.</summary>
    public void Join(ChatClient client) => _clients.Add(client);

    /// <summary>Removes a client that left.</summary>
    public void Leave(ChatClient client) => _clients.Remove(client);

    /// <summary>Sends <paramref name="line"/> followed by LF to every client but <paramref name="sender"/>.</summary>
    public void Relay(ChatClient sender, ReadOnlySpan<byte> line)
    {
        // Safe to index while relaying: a dropped client leaves the list when its connection is
        // lost, which the reactor reports from the loop, never inside this call.
        for (var i = 0; i < _clients.Count; i++)
        {
            var client = _clients[i];
            if (client == sender) continue;
            client.Send(line);
        }
    }
}

/// <summary>
/// One chat client: splits its bytes into lines (LF or CRLF) and relays each to the others. A line
/// longer than <see cref="ChatRoom.MaxLineLength"/> disconnects the sender (after a reply it is sure
/// to receive); a client whose backlog passes <see cref="ChatRoom.SlowReaderLimit"/> is dropped; a
/// client that sends nothing for the room's idle timeout is told so and disconnected.
/// </summary>
public sealed class ChatClient : Protocol
{
    private static readonly byte[] TooLong = "error: line too long; the limit is 4096 bytes\n"u8.ToArray();
    private static readonly byte[] Idle = "error: idle for too long; bye\n"u8.ToArray();
    private readonly ChatRoom _room;
    private readonly IdleTimeout _idle;
    private readonly byte[] _partial = new byte[ChatRoom.MaxLineLength + 1];
    private int _partialLength;
    private bool _dropped;

    /// <summary>Creates a client of <paramref name="room"/>.</summary>
    public ChatClient(ChatRoom room)
    {
        _room = room;
        _idle = new IdleTimeout(room.Clock, () => Drop(Idle));
    }

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        _room.Join(this);
        _idle.SetTimeout(_room.IdleTimeout);
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        // Only what the client sends counts as activity: lines relayed to a lurker do not keep it here.
        _idle.ResetTimeout();
        while (!data.IsEmpty && !_dropped)
        {
            var newline = data.IndexOf((byte)'\n');
            var chunk = newline < 0 ? data : data[..newline];
            if (_partialLength + chunk.Length > ChatRoom.MaxLineLength + 1)
            {
                // One byte of slack for a CR that the LF has not followed yet.
                Drop(TooLong);
                return;
            }
            if (newline < 0)
            {
                chunk.CopyTo(_partial.AsSpan(_partialLength));
                _partialLength += chunk.Length;
                return;
            }

            ReadOnlySpan<byte> line;
            if (_partialLength == 0)
            {
                line = chunk;
            }
            else
            {
                chunk.CopyTo(_partial.AsSpan(_partialLength));
                line = _partial.AsSpan(0, _partialLength + chunk.Length);
                _partialLength = 0;
            }
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            if (line.Length > ChatRoom.MaxLineLength)
            {
                Drop(TooLong);
                return;
            }
            _room.Relay(this, line);
            data = data[(newline + 1)..];
        }
    }

    /// <summary>Queues one relayed line; drops this client if it has stopped reading.</summary>
    public void Send(ReadOnlySpan<byte> line)
    {
        if (_dropped) return;
        Transport.Write(line);
        Transport.Write("\n"u8);
        if (Transport is IWriteBuffer buffer && buffer.PendingBytes > ChatRoom.SlowReaderLimit)
        {
            _dropped = true;
            ((IStreamTransport)Transport).AbortConnection();
        }
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Defer.Failure reason)
    {
        _idle.Dispose();
        base.ConnectionLost(reason);
        _room.Leave(this);
    }

    private void Drop(ReadOnlySpan<byte> message)
    {
        if (_dropped) return;
        _dropped = true;
        _idle.SetTimeout(null);
        _room.Leave(this); // relays stop at once, not when the lingering close ends
        Transport.Write(message);
        // The client may still be sending (the rest of its long line): a plain close would answer
        // that with RST and could lose the reply; the lingering close delivers it, then closes.
        Transport.LoseConnectionLingering(_room.Clock);
    }
}
