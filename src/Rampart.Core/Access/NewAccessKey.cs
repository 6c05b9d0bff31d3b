namespace Rampart.Core.Access;

/// <summary>A key just created: its text, shown once to whoever created it, and what is stored of it.</summary>
/// <param name="Secret">The key to give to the client; it is not stored anywhere.</param>
/// <param name="Stored">The hashed form the store keeps.</param>
public sealed record NewAccessKey(string Secret, AccessKey Stored);
