using System.Net;
using k8s.Models;

namespace Berth.Client;

/// <summary>A 409 Conflict: the object changed since it was read (stale <c>metadata.resourceVersion</c>). Re-read and retry.</summary>
public sealed class ConflictException : ApiException
{
    public ConflictException(V1Status status)
        : base(status)
    {
    }

    public ConflictException(V1Status status, Exception? innerException)
        : base(status, innerException)
    {
    }

    public ConflictException()
        : base(FromCode(HttpStatusCode.Conflict, "Conflict"))
    {
    }

    public ConflictException(string message)
        : base(FromCode(HttpStatusCode.Conflict, message))
    {
    }

    public ConflictException(string message, Exception innerException)
        : base(FromCode(HttpStatusCode.Conflict, message), innerException)
    {
    }
}
