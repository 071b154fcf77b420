using k8s.Models;

namespace Berth.Core.Errors;

/// <summary>
/// A request that ends in a Kubernetes <c>Status</c>. Thrown at the API boundary and turned into the
/// HTTP reply; build instances with <see cref="StatusErrors"/>.
/// </summary>
public sealed class StatusException : Exception
{
    public StatusException(V1Status status)
        : base(status.Message)
    {
        Status = status;
    }

    public StatusException()
        : this(StatusErrors.Internal("unknown error").Status)
    {
    }

    public StatusException(string message)
        : this(StatusErrors.Internal(message).Status)
    {
    }

    public StatusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusErrors.Internal(message).Status;
    }

    public V1Status Status { get; }

    public int Code => Status.Code ?? 500;
}
