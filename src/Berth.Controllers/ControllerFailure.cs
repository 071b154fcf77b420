namespace Berth.Controllers;

/// <summary>
/// A controller stopped while the control plane was running: it returned, or threw past its own supervision (its
/// workers never do; this is a bug elsewhere in it). Without it the cluster no longer converges.
/// </summary>
public sealed record ControllerFailure(string Controller, Exception? Exception)
{
    /// <summary>One line for the operator, e.g. <c>controller "endpointslice" stopped: …</c>.</summary>
    public string Message => Exception is null
        ? $"controller \"{Controller}\" stopped before the control plane did"
        : $"controller \"{Controller}\" stopped: {Exception.GetType().Name}: {Exception.Message}";
}
