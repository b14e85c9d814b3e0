namespace Reactor.Protocols.Basic;

/// <summary>
/// A string is too long for a length-prefixed frame: its length does not fit the prefix
/// (Twisted's <c>StringTooLongError</c>).
/// </summary>
public class StringTooLongError : ArgumentException
{
    /// <summary>Creates the error for a string of <paramref name="length"/> bytes when at most <paramref name="maximum"/> fit.</summary>
    public StringTooLongError(long length, long maximum, string? paramName = null)
        : base($"Cannot send {length} bytes: a frame of this kind holds at most {maximum} bytes.", paramName)
    {
        Length = length;
        Maximum = maximum;
    }

    /// <summary>The length of the string that was refused.</summary>
    public long Length { get; }

    /// <summary>The longest string the frame can carry.</summary>
    public long Maximum { get; }
}
