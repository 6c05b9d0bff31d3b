using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>
/// Reads an event line straight from its UTF-8 bytes without allocating, accepting it only when Core's
/// <see cref="EventLineParser"/> would accept it with the same values: first <see cref="LineScanner"/> (the common shape,
/// scanned by hand), then <see cref="ReaderEventParser"/> (any valid shape but escaped ids). Anything else returns false and
/// goes to <see cref="EventLineParser"/>, which either reads it or names the line and field at fault, so a rejection always
/// carries the parser's own message.
/// </summary>
internal static class FastEventParser
{
    /// <summary>Reads <paramref name="line"/> into <paramref name="parsed"/>; false when the line needs the full parser.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out ParsedEvent parsed) =>
        LineScanner.TryScan(line, out parsed) || ReaderEventParser.TryParse(line, out parsed);
}
