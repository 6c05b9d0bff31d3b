using System.Text.Json;
using System.Text.Json.Nodes;
using Rampart.Core.Experiments;
using Rampart.Llm.Providers.Simulated;
using Rampart.Llm.Variants;

namespace Rampart.Llm.Tests.Variants;

public sealed class VariantRequestTests
{
    private static readonly VariantConfig Friendly = new("openai", "gpt-4", Temperature: 0.9, SystemPrompt: "Be warm.", MaxTokens: 256, TopP: 0.95);

    [Fact]
    public void Apply_FullVariant_SetsModelSamplingAndLimit()
    {
        var sut = VariantRequest.Apply(Body("""{"model":"experiment:prompt-opt-v2","temperature":0.1,"messages":[]}"""), Friendly);

        Assert.Equal(("gpt-4", 0.9, 0.95, 256), ((string?)sut["model"], (double?)sut["temperature"], (double?)sut["top_p"], (int?)sut["max_tokens"]));
    }

    [Fact]
    public void Apply_VariantWithoutSampling_LeavesTheCallersValues()
    {
        var sut = VariantRequest.Apply(Body("""{"model":"x","temperature":0.1,"top_p":0.5,"max_tokens":9,"messages":[]}"""), new VariantConfig("openai", "gpt-4o"));

        Assert.True(JsonNode.DeepEquals(Body("""{"model":"gpt-4o","temperature":0.1,"top_p":0.5,"max_tokens":9,"messages":[]}"""), sut));
    }

    [Fact]
    public void Apply_SystemMessagePresent_ReplacesTheFirstOnesContentOnly()
    {
        var sut = VariantRequest.Apply(Body("""
            {"model":"x","messages":[{"role":"user","content":"Hi"},{"role":"system","content":"Old","name":"s"},{"role":"system","content":"Second"}]}
            """), Friendly);

        Assert.Equal(
            """[{"role":"user","content":"Hi"},{"role":"system","content":"Be warm.","name":"s"},{"role":"system","content":"Second"}]""",
            sut["messages"]!.ToJsonString());
    }

    [Fact]
    public void Apply_NoSystemMessage_InsertsOneFirst()
    {
        var sut = VariantRequest.Apply(Body("""{"model":"x","messages":[{"role":"user","content":"Hi"}]}"""), Friendly);

        Assert.Equal("""[{"role":"system","content":"Be warm."},{"role":"user","content":"Hi"}]""", sut["messages"]!.ToJsonString());
    }

    [Fact]
    public void Apply_DeveloperMessage_CountsAsTheSystemMessage()
    {
        var sut = VariantRequest.Apply(Body("""{"model":"x","messages":[{"role":"developer","content":"Old"},{"role":"user","content":"Hi"}]}"""), Friendly);

        Assert.Equal("""[{"role":"developer","content":"Be warm."},{"role":"user","content":"Hi"}]""", sut["messages"]!.ToJsonString());
    }

    [Fact]
    public void Apply_Params_MergedAsTopLevelFieldsExceptSimAndStream()
    {
        var variant = Friendly with { Params = Json("""{"seed":7,"response_format":{"type":"json_object"},"temperature":2,"stream":true,"sim":{"error_rate":0.5}}""") };

        var sut = VariantRequest.Apply(Body("""{"model":"x","seed":1,"messages":[]}"""), variant);

        Assert.Equal(7, (int?)sut["seed"]);
        Assert.Equal("""{"type":"json_object"}""", sut["response_format"]!.ToJsonString());
        Assert.Equal(0.9, (double?)sut["temperature"]);
        Assert.Null(sut["stream"]);
        Assert.Null(sut["sim"]);
    }

    [Fact]
    public void Apply_CallerUsedMaxCompletionTokens_SetsThatInstead()
    {
        var sut = VariantRequest.Apply(Body("""{"model":"x","max_completion_tokens":9,"messages":[]}"""), Friendly);

        Assert.Equal((256, (JsonNode?)null), ((int?)sut["max_completion_tokens"], sut["max_tokens"]));
    }

    [Fact]
    public void Apply_Always_LeavesTheCallersBodyUnchanged()
    {
        var body = Body("""{"model":"x","messages":[{"role":"system","content":"Old"},{"role":"user","content":"Hi"}]}""");
        var before = body.ToJsonString();

        var sut = VariantRequest.Apply(body, Friendly with { Params = Json("""{"seed":7}""") });

        Assert.Equal(before, body.ToJsonString());
        Assert.NotSame(body, sut);
    }

    [Fact]
    public void CreateCall_StreamingBodyWithSim_StreamsAndCarriesTheSimulationOutsideTheBody()
    {
        var variant = new VariantConfig("sim", "gpt-4", Params: Json("""{"sim":{"error_rate":0.5}}"""));

        var sut = VariantRequest.CreateCall(Body("""{"model":"x","stream":true,"messages":[]}"""), variant, TimeSpan.FromSeconds(30), seed: 9);

        Assert.True(sut.Stream);
        Assert.Equal((TimeSpan.FromSeconds(30), 9UL), (sut.Timeout, sut.Seed));
        Assert.Equal(SimulationOptions.Default with { ErrorRate = 0.5 }, sut.Simulation);
        Assert.Null(sut.Body["sim"]);
    }

    private static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
