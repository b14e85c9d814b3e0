namespace Reactor.Net.Tls.Internal;

/// <summary>
/// Follows TLS record framing (a 5-byte header whose last two bytes give the body's length) over
/// the ciphertext handed to SslStream, so that, when <see cref="Limiting"/>, a read can stop at the
/// end of a record. Cost: a few field updates per record, never per byte.
/// </summary>
internal sealed class TlsRecordBoundary
{
    private const int HeaderLength = 5;

    private int _headerSeen;
    private int _lengthHigh;
    private int _bodyLeft;

    /// <summary>Whether <see cref="Limit"/> cuts reads at record ends.</summary>
    public bool Limiting { get; set; }

    /// <summary>How many of <paramref name="wanted"/> bytes may be handed over now.</summary>
    public int Limit(int wanted)
    {
        if (!Limiting) return wanted;
        var left = _bodyLeft > 0 ? _bodyLeft : HeaderLength - _headerSeen;
        return Math.Min(wanted, left);
    }

    /// <summary>Moves past <paramref name="delivered"/>, which SslStream now has.</summary>
    public void Advance(ReadOnlySpan<byte> delivered)
    {
        while (!delivered.IsEmpty)
        {
            if (_bodyLeft > 0)
            {
                var n = Math.Min(_bodyLeft, delivered.Length);
                _bodyLeft -= n;
                delivered = delivered[n..];
                continue;
            }
            // Header bytes: type (0), version (1, 2), length high (3), length low (4).
            if (_headerSeen == 3) _lengthHigh = delivered[0];
            if (_headerSeen == 4)
            {
                _bodyLeft = (_lengthHigh << 8) | delivered[0];
                _headerSeen = -1; // the increment below makes it 0: the next header starts after the body
            }
            _headerSeen++;
            delivered = delivered[1..];
        }
    }
}
