using Rampart.Server.Events;

namespace Rampart.Server.Http;

/// <summary>RFC 9457 problem details for <c>/api/…</c> errors, each naming the field at fault.</summary>
internal static class ApiProblems
{
    /// <summary>
    /// The most problems one answer lists. A body of a million unknown fields has a million problems, each message longer
    /// than its field; past this many, one more says how many were left out. (The experiment file's reader lists at most
    /// 100 and a line counting the rest, within this.)
    /// </summary>
    public const int MaxListed = 200;

    /// <summary>400: the request's fields have problems; <c>detail</c> is the first, <c>errors</c> lists them all by field.</summary>
    public static IResult Invalid(IReadOnlyList<FieldProblem> problems)
    {
        IReadOnlyList<FieldProblem> listed = problems.Count <= MaxListed
            ? problems
            : [.. problems.Take(MaxListed), new FieldProblem("body", $"'body': the other {problems.Count - MaxListed} problems are not listed; fix these first.")];
        return TypedResults.ValidationProblem(
            listed.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal),
            detail: string.Join(" ", listed.Select(p => p.Message)),
            title: "The request is invalid.");
    }

    /// <summary>400 for one field.</summary>
    public static IResult Invalid(string field, string message) => Invalid([new FieldProblem(field, message)]);

    /// <summary>A problem with a status other than 400, naming its field.</summary>
    public static IResult Status(int status, string title, string field, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = field };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                all[key] = value;
            }
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: all);
    }

    /// <summary>404: no experiment has that key.</summary>
    public static IResult UnknownExperiment(string field, string key) =>
        Status(StatusCodes.Status404NotFound, "No such experiment.", field, $"'{field}': experiment '{key}' does not exist; GET /api/experiments lists them.");
}
