using System.Text;

namespace Rampart.Llm.Providers;

/// <summary>UTF-8 bytes handed to a log message, decoded only if the message is written.</summary>
internal readonly record struct Utf8Text(ReadOnlyMemory<byte> Bytes)
{
    public override string ToString() => Encoding.UTF8.GetString(Bytes.Span);
}
