namespace Rampart.Llm.Judging;

/// <summary>
/// The backlog where sampled calls wait for their judges, off the request path (docs/judges.md). <see cref="Recording.ExperimentCallRecorder"/>
/// offers it each sampled successful call; an implementation must never block or throw (a full queue drops the work and counts it).
/// </summary>
public interface IJudgeBacklog
{
    /// <summary>Takes <paramref name="work"/> if there is room; false when it was dropped.</summary>
    bool TryEnqueue(JudgeWork work);
}
