namespace Rampart.Core.Experiments;

/// <summary>How much of a call's text is kept with its completion event.</summary>
public enum ContentLogging
{
    /// <summary>Input and output are stored.</summary>
    Full,

    /// <summary>Only metrics are stored; input and output are dropped.</summary>
    None,
}
