using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Rampart.Core.Events;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>FsCheck generators of the events the parser can produce: finite numbers, valid text, microsecond timestamps.</summary>
public static class EventGen
{
    private static readonly Gen<string> Text =
        Gen.Frequency(
            (3, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(Clean)),
            (1, Gen.Elements("", "control", "Où est ma commande ? 📦", "line\nbreak\ttab \"quoted\" \\ slash", "{\"json\":true}", new string('x', 5000))));

    private static readonly Gen<string?> OptionalText = Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Text.Select(s => (string?)s)));

    private static readonly Gen<double?> Number =
        Gen.Frequency(
            (1, Gen.Constant<double?>(null)),
            (3, ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => (double?)d)),
            (1, Gen.Elements<double?>(0, double.Epsilon, double.MaxValue, -double.MaxValue, 0.1 + 0.2, 1e-300)));

    private static readonly Gen<long?> Whole =
        Gen.Frequency((1, Gen.Constant<long?>(null)), (3, ArbMap.Default.GeneratorFor<long>().Select(n => (long?)Math.Abs(n % long.MaxValue))));

    private static readonly Gen<int?> Stage = Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, 20).Select(n => (int?)n)));

    private static readonly Gen<DateTimeOffset> Timestamp =
        from micros in Gen.Choose(0, int.MaxValue)
        from days in Gen.Choose(0, 365 * 50)
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        select new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(days).AddTicks(micros * 10L).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static readonly Gen<string?> Extra = Gen.Elements<string?>(null, "{}", """{"region":"eu","n":[1,2.5e-10,{"deep":null}]}""", """{"emoji":"📦","esc":"\u0001"}""");

    /// <summary>Batches of up to 50 events.</summary>
    public static Gen<ExperimentEvent[]> Batch => Gen.ArrayOf(Event).Resize(50);

    /// <summary>Any event of experiment <c>p</c>; its id, when it has one, is drawn from a small pool so that repeats happen.</summary>
    public static Gen<ExperimentEvent> Event =>
        from type in Gen.Elements(EventType.Exposure, EventType.Completion, EventType.Feedback)
        from strings in Gen.ArrayOf(OptionalText, 12)
        from variant in Text.Where(s => s.Length > 0)
        from unit in Text
        from ts in Timestamp
        from id in Gen.Frequency((1, Gen.Constant<string?>(null)), (2, Gen.Choose(0, 30).Select(n => (string?)$"id-{n}")))
        from stage in Stage
        from numbers in Gen.ArrayOf(Number, 4)
        from tokens in Gen.ArrayOf(Whole, 2)
        from extra in Extra
        select new ExperimentEvent
        {
            Type = type, Experiment = "p", Variant = variant, Unit = unit, Ts = ts, Id = id, Stage = stage,
            RequestId = strings[0], LatencyMs = numbers[0], TtftMs = numbers[1], PromptTokens = tokens[0], CompletionTokens = tokens[1],
            CostUsd = numbers[2], Error = strings[1], Model = strings[2], Input = strings[3], Output = strings[4], Score = strings[5],
            Value = numbers[3], Comment = strings[6], Extra = extra,
        };

    // Text that arrives as JSON is valid UTF-16 without NUL (which PostgreSQL's text cannot hold).
    private static string Clean(string s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s.Replace('\0', ' ')));
}
