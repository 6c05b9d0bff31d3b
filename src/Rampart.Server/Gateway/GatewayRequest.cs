using System.Text.Json.Nodes;

namespace Rampart.Server.Gateway;

/// <summary>A gateway request as read: the body (parsed, and as it came for the shadow calls), the experiment and unit it names, or the error to answer with.</summary>
internal sealed record GatewayRequest(JsonObject? Body, string? Experiment, string? Unit, IResult? Error, byte[]? Raw = null)
{
    /// <summary>The unit's attributes: the body's <c>metadata</c> and the <c>X-Rampart-Attributes</c> header (docs/targeting.md).</summary>
    public Core.Targeting.UnitAttributes Attributes { get; init; } = Core.Targeting.UnitAttributes.None;

    public static GatewayRequest Fail(IResult error) => new(null, null, null, error);
}
