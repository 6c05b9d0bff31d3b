using System.Text.Json.Nodes;
using Rampart.Llm.Providers.Anthropic;

namespace Rampart.Llm.Tests.Providers.Anthropic;

public sealed class AnthropicRequestTests
{
    [Fact]
    public void TryTranslate_SeveralSystemMessagesAndMaxCompletionTokens_JoinsThemAndKeepsTheLimit()
    {
        var body = Body("""
            {"model":"m","max_completion_tokens":50,"user":"user-1","stop":["a","b"],
             "messages":[{"role":"system","content":"One."},{"role":"developer","content":[{"type":"text","text":"Two."}]},{"role":"user","content":"Hi"}]}
            """);

        Assert.True(AnthropicRequest.TryTranslate(body, stream: false, out var sut, out _));

        var expected = JsonNode.Parse("""
            {"model":"m","system":"One.\n\nTwo.","messages":[{"role":"user","content":"Hi"}],"max_tokens":50,
             "stop_sequences":["a","b"],"metadata":{"user_id":"user-1"}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, sut), sut.ToJsonString());
    }

    [Fact]
    public void TryTranslate_ImageParts_BecomeBase64AndUrlSources()
    {
        var body = Body("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"What is it?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}
            """);

        Assert.True(AnthropicRequest.TryTranslate(body, stream: false, out var sut, out _));

        var expected = JsonNode.Parse("""
            [{"type":"text","text":"What is it?"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},
             {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, sut["messages"]![0]!["content"]), sut.ToJsonString());
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"tool","content":"42","tool_call_id":"t"}]}""", "role 'tool'")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio"}]}]}""", "'input_audio'")]
    [InlineData("""{"model":"m","n":2,"messages":[]}""", "'n'")]
    [InlineData("""{"model":"m"}""", "'messages'")]
    public void TryTranslate_Untranslatable_SaysWhy(string json, string expected)
    {
        Assert.False(AnthropicRequest.TryTranslate(Body(json), stream: false, out _, out var problem));

        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_NIsOne_IsFine()
    {
        Assert.True(AnthropicRequest.TryTranslate(Body("""{"model":"m","n":1,"messages":[]}"""), stream: true, out var sut, out _));

        Assert.True(sut["stream"]!.GetValue<bool>());
        Assert.Null(sut["n"]);
    }

    private static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();
}
