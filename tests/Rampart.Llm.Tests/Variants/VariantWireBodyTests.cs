using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rampart.Core.Experiments;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.OpenAi;
using Rampart.Llm.Variants;

namespace Rampart.Llm.Tests.Variants;

public sealed class VariantWireBodyTests
{
    public static TheoryData<string> Bodies => new()
    {
        """{"model":"experiment:e","user":"u1","messages":[{"role":"user","content":"Where is my order?"}]}""",
        """{"messages":[{"role":"user","content":"caf\u00e9 \u2615 \"q\" <b>"}],"model":"x","temperature":0.1,"top_p":0.5,"max_tokens":9}""",
        """{"model":"x","max_completion_tokens":12,"messages":[{"role":"system","content":"Old","name":"s"},{"role":"developer","content":"D"}]}""",
        """{"model":"x","messages":[{"role":"user","content":"Hi"},{"content":"no role","role":"developer"},{"role":"system"}]}""",
        """{"model":"x","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]},null,{"role":1,"content":"n"}]}""",
        """{"model":"x","stream":true,"messages":[]}""",
        """{"model":"x","stream":true,"stream_options":{"include_usage":false,"other":[1,2.50,1e3]},"messages":[]}""",
        """{"model":"x","stream":true,"stream_options":null,"messages":[],"extra":{"a":null}}""",
        """{"stream":true,"messages":"not an array","metadata":{"plan":"pro"}}""",
        """{"model":"x","stream":false,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"S"}],"n":2}""",
        """{"model":"x"}""",
        """{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"model":"x","messages":[],"response_format":{"type":"json_object"}}""",
    };

    private static readonly string[] Variants =
    [
        """{"provider":"up","model":"bench-small","temperature":0.2,"system_prompt":"Be concise."}""",
        """{"provider":"up","model":"gpt-4o"}""",
        """{"provider":"up","model":"m","temperature":0.9,"top_p":0.95,"max_tokens":256,"system_prompt":"Be \u201cwarm\u201d.\n"}""",
        """{"provider":"up","model":"m","max_tokens":64,"params":{"seed":7,"temperature":1.5,"sim":{"error_rate":0},"stream":true,"user":"p"}}""",
        """{"provider":"up","model":"m","params":{"max_completion_tokens":5,"model":"ignored","response_format":{"type":"text"},"top_p":0.3}}""",
        """{"provider":"up","model":"m","system_prompt":"S","params":{"n":3,"logit_bias":{"50256":-100}}}""",
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Write_EveryBodyAndVariant_TheSameBytesAsApplyThenWireBodyThenSerialize(string json)
    {
        foreach (var variantJson in Variants)
        {
            var variant = Variant(variantJson);
            foreach (var stream in new[] { false, true })
            {
                var body = (JsonObject)JsonNode.Parse(json)!;
                var expected = Encoding.UTF8.GetString(OpenAiWire.Serialize(OpenAiCompatibleProvider.WireBody(new ChatCall(VariantRequest.Apply(body, variant), stream, TimeSpan.Zero))));

                Assert.True(VariantWireBody.Handles(variant));
                Assert.Equal(expected, Write(body, variant, stream));
            }
        }
    }

    [Theory]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{"stream_options":{}}""")]
    public void Handles_ParamsThatReplaceARewrittenField_FallsBackToTheCopy(string parameters)
    {
        Assert.False(VariantWireBody.Handles(new VariantConfig("up", "m", Params: JsonDocument.Parse(parameters).RootElement)));
    }

    [Fact]
    public void Handles_ParamsNamingAFieldTwice_FallsBackToTheCopy()
    {
        Assert.False(VariantWireBody.Handles(new VariantConfig("up", "m", Params: JsonDocument.Parse("""{"n":1,"seed":2,"n":3}""").RootElement)));
    }

    [Fact]
    public void CreateCall_BodyNeverRead_LeavesTheCallersBodyUnchanged()
    {
        var body = (JsonObject)JsonNode.Parse("""{"model":"x","messages":[{"role":"user","content":"Hi"}]}""")!;
        var variant = Variant(Variants[2]);

        var sut = VariantRequest.CreateCall(body, variant, TimeSpan.Zero);

        Assert.Equal(body, sut.Unapplied!.Value.Body);
        Assert.Equal("m", (string?)sut.Body["model"]);
        Assert.Null(sut.Unapplied);
        Assert.Equal("x", (string?)body["model"]);
    }

    private static string Write(JsonObject body, VariantConfig variant, bool stream)
    {
        using var payload = new PooledBufferWriter();
        using (var writer = OpenAiWire.CreateWriter(payload))
        {
            VariantWireBody.Write(writer, body, variant, stream);
        }

        return Encoding.UTF8.GetString(payload.WrittenMemory.Span);
    }

    private static VariantConfig Variant(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        double? Number(string name) => root.TryGetProperty(name, out var v) ? v.GetDouble() : null;
        return new VariantConfig(
            root.GetProperty("provider").GetString()!,
            root.GetProperty("model").GetString()!,
            Number("temperature"),
            root.TryGetProperty("system_prompt", out var prompt) ? prompt.GetString() : null,
            root.TryGetProperty("max_tokens", out var max) ? max.GetInt32() : null,
            Number("top_p"),
            root.TryGetProperty("params", out var parameters) ? parameters.Clone() : null);
    }
}
