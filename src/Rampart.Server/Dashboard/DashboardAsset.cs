namespace Rampart.Server.Dashboard;

/// <summary>One static file of the dashboard, held in memory.</summary>
/// <param name="Content">The file's bytes.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="ETag">A strong entity tag: a hash of the bytes (<see cref="Http.EntityTags.Of"/>).</param>
internal sealed record DashboardAsset(byte[] Content, string ContentType, string ETag);
