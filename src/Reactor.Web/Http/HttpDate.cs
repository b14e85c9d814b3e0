using System.Buffers;
using System.Buffers.Text;

namespace Reactor.Web.Http;

/// <summary>
/// The value of the <c>Date</c> header (IMF-fixdate, always 29 bytes), re-encoded at most once per
/// second and otherwise served from the same bytes, so responses allocate nothing.
/// </summary>
/// <remarks>Not thread-safe: one instance serves the connections of one reactor thread.</remarks>
public sealed class HttpDate
{
    /// <summary>Length of an IMF-fixdate such as <c>Sun, 06 Nov 1994 08:49:37 GMT</c>.</summary>
    public const int Length = 29;

    private readonly byte[] _bytes = new byte[Length];
    private readonly Func<DateTime> _utcNow;
    private long _second = long.MinValue;

    /// <summary>Creates a date source reading <paramref name="utcNow"/> (default: the system clock).</summary>
    public HttpDate(Func<DateTime>? utcNow = null) => _utcNow = utcNow ?? (() => DateTime.UtcNow);

    /// <summary>The current date, encoded; valid until the next call.</summary>
    public ReadOnlySpan<byte> Current
    {
        get
        {
            var now = _utcNow();
            var second = now.Ticks / TimeSpan.TicksPerSecond;
            if (second != _second)
            {
                _second = second;
                Utf8Formatter.TryFormat(now, _bytes, out _, new StandardFormat('R'));
            }
            return _bytes;
        }
    }

    /// <summary>Formats <paramref name="time"/> as an IMF-fixdate string (for Last-Modified and the like).</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses an IMF-fixdate (or the obsolete RFC 850 / asctime forms .NET accepts); false if it is not a date.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, "R", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out time)
        || DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out time);
}
