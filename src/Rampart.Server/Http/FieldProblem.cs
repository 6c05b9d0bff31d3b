namespace Rampart.Server.Http;

/// <summary>One problem with a request, and the field it is about.</summary>
/// <param name="Field">The field's name (<c>unit</c>, <c>weights.control</c>, <c>body</c> for the body as a whole).</param>
/// <param name="Message">What is wrong and how to fix it, naming the field in quotes.</param>
internal sealed record FieldProblem(string Field, string Message);
