using System.Text.Json.Nodes;

namespace Rampart.Server.Gateway;

/// <summary>A gateway request as read: the body, the experiment and unit it names, or the error to answer with.</summary>
internal sealed record GatewayRequest(JsonObject? Body, string? Experiment, string? Unit, IResult? Error)
{
    public static GatewayRequest Fail(IResult error) => new(null, null, null, error);
}
