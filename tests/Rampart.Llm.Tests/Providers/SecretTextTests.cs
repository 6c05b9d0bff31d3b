using System.Text;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Tests.Providers;

public sealed class SecretTextTests
{
    [Fact]
    public void Redact_BytesEchoingTheKeyTwice_ReplacesEveryOccurrence()
    {
        var body = Encoding.UTF8.GetBytes("""{"error":{"message":"bad key Bearer sk-123456 (sk-123456)"}}""");

        var sut = Encoding.UTF8.GetString(SecretText.Redact(body, "sk-123456"));

        Assert.Equal("""{"error":{"message":"bad key Bearer [redacted] ([redacted])"}}""", sut);
    }

    [Fact]
    public void Redact_NoKeyOrNoEcho_ReturnsTheSameBytes()
    {
        var body = Encoding.UTF8.GetBytes("""{"ok":true}""");

        Assert.Same(body, SecretText.Redact(body, null));
        Assert.Same(body, SecretText.Redact(body, "sk-123456"));
    }
}
