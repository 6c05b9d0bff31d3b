namespace Rampart.Llm.Remote;

/// <summary>What one POST of a batch of events came to.</summary>
internal enum UploadOutcome
{
    /// <summary>The server answered with its <c>{accepted, duplicates, rejected}</c> (<see cref="EventsAnswer"/>).</summary>
    Accepted,

    /// <summary>A 413: the batch is too large for the server and is sent again in halves.</summary>
    TooLarge,

    /// <summary>Worth another try: unreachable, busy, failing, or a 2xx that is not the server's answer.</summary>
    Transient,

    /// <summary>Refused for good (another 4xx): the events are lost.</summary>
    Refused,
}
