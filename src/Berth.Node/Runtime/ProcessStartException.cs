namespace Berth.Node.Runtime;

/// <summary>
/// The process could not be started (executable missing, not executable, working directory missing). The message is
/// phrased for a Pod's container status, as the kubelet shows a <c>StartError</c>.
/// </summary>
public sealed class ProcessStartException : Exception
{
    public ProcessStartException(string message)
        : base(message)
    {
    }

    public ProcessStartException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ProcessStartException()
    {
    }
}
