namespace Berth.Node.Probes;

/// <summary>One probe attempt worth telling the pod worker about: a failure (an <c>Unhealthy</c> event) or a change.</summary>
/// <param name="Changed">Whether the worker's result changed with this attempt.</param>
internal sealed record ProbeObservation(ProbeResult Attempt, string Output, bool Changed);
