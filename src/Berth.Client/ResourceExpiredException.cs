using System.Net;
using k8s.Models;

namespace Berth.Client;

/// <summary>A 410 Expired/Gone: the resourceVersion asked for has been compacted away. Re-list, then watch from the list.</summary>
public sealed class ResourceExpiredException : ApiException
{
    public ResourceExpiredException(V1Status status)
        : base(status)
    {
    }

    public ResourceExpiredException(V1Status status, Exception? innerException)
        : base(status, innerException)
    {
    }

    public ResourceExpiredException()
        : base(FromCode(HttpStatusCode.Gone, "ResourceExpired"))
    {
    }

    public ResourceExpiredException(string message)
        : base(FromCode(HttpStatusCode.Gone, message))
    {
    }

    public ResourceExpiredException(string message, Exception innerException)
        : base(FromCode(HttpStatusCode.Gone, message), innerException)
    {
    }
}
