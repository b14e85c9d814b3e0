namespace Reactor.Examples.FramedEcho;

/// <summary>The framings FramedEcho speaks: --framing line|int8|int16|int32|netstring|fixed:N.</summary>
internal enum FramingKind
{
    Line,
    Int8,
    Int16,
    Int32,
    Netstring,
    Fixed,
}

/// <summary>A parsed --framing value, with the frame size for fixed framing.</summary>
internal readonly record struct Framing(FramingKind Kind, int FixedLength)
{
    public const string Choices = "line|int8|int16|int32|netstring|fixed:N";

    public static bool TryParse(string text, out Framing framing)
    {
        framing = default;
        if (text.StartsWith("fixed:", StringComparison.Ordinal))
        {
            if (!int.TryParse(text.AsSpan(6), out var n) || n < 1) return false;
            framing = new Framing(FramingKind.Fixed, n);
            return true;
        }
        switch (text)
        {
            case "line": framing = new Framing(FramingKind.Line, 0); return true;
            case "int8": framing = new Framing(FramingKind.Int8, 0); return true;
            case "int16": framing = new Framing(FramingKind.Int16, 0); return true;
            case "int32": framing = new Framing(FramingKind.Int32, 0); return true;
            case "netstring": framing = new Framing(FramingKind.Netstring, 0); return true;
            default: return false;
        }
    }
}

/// <summary>The line framing's delimiter: --delimiter crlf (Twisted's LineReceiver, the default) or lf.</summary>
internal enum LineDelimiter
{
    Crlf,
    Lf,
}
