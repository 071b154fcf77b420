using System.Net;
using k8s.Models;

namespace Berth.Client;

/// <summary>
/// The API answered with a non-2xx status (or a watch ERROR event). <see cref="Status"/> is the server's
/// <c>Status</c> object, or one synthesized from the HTTP status when the body was not a Status.
/// </summary>
public class ApiException : Exception
{
    public ApiException(V1Status status)
        : base(status?.Message ?? "API error")
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
    }

    public ApiException(V1Status status, Exception? innerException)
        : base(status?.Message ?? "API error", innerException)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
    }

    public ApiException()
        : this(FromCode(HttpStatusCode.InternalServerError, "API error"))
    {
    }

    public ApiException(string message)
        : this(FromCode(HttpStatusCode.InternalServerError, message))
    {
    }

    public ApiException(string message, Exception innerException)
        : this(FromCode(HttpStatusCode.InternalServerError, message), innerException)
    {
    }

    public V1Status Status { get; }

    /// <summary>The HTTP status code (<c>Status.code</c>).</summary>
    public int Code => Status.Code ?? 500;

    /// <summary>The machine-readable reason (<c>NotFound</c>, <c>AlreadyExists</c>, <c>Conflict</c>, <c>Invalid</c>, <c>Expired</c>, …).</summary>
    public string Reason => Status.Reason ?? string.Empty;

    public bool IsNotFound => Code == 404;

    /// <summary>A 409 because the resourceVersion was stale (not because the name is taken).</summary>
    public bool IsConflict => Code == 409 && Reason != "AlreadyExists";

    public bool IsAlreadyExists => Code == 409 && Reason == "AlreadyExists";

    public bool IsExpired => Code == 410 || Reason is "Expired" or "Gone";

    /// <summary>
    /// A write refused because its namespace is being deleted (core/v1 <c>NamespaceTerminatingCause</c> on a 403): every
    /// later create there fails the same way until the namespace is gone.
    /// </summary>
    public bool IsNamespaceTerminating => Status.Details?.Causes?.Any(c => c.Reason == "NamespaceTerminating") == true;

    /// <summary>The matching exception type for a Status: <see cref="ConflictException"/>, <see cref="ResourceExpiredException"/> or this.</summary>
    public static ApiException For(V1Status status, Exception? innerException = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        var probe = new ApiException(status, innerException);
        return probe.IsConflict ? new ConflictException(status, innerException)
            : probe.IsExpired ? new ResourceExpiredException(status, innerException)
            : probe;
    }

    /// <summary>A Status for an HTTP reply whose body was not one, with the reason Kubernetes uses for that code.</summary>
    public static V1Status FromCode(HttpStatusCode code, string message) => new()
    {
        ApiVersion = "v1",
        Kind = "Status",
        Status = "Failure",
        Code = (int)code,
        Message = message,
        Reason = code switch
        {
            HttpStatusCode.BadRequest => "BadRequest",
            HttpStatusCode.Unauthorized => "Unauthorized",
            HttpStatusCode.Forbidden => "Forbidden",
            HttpStatusCode.NotFound => "NotFound",
            HttpStatusCode.MethodNotAllowed => "MethodNotAllowed",
            HttpStatusCode.Conflict => "Conflict",
            HttpStatusCode.Gone => "Expired",
            HttpStatusCode.UnprocessableEntity => "Invalid",
            HttpStatusCode.TooManyRequests => "TooManyRequests",
            HttpStatusCode.ServiceUnavailable => "ServiceUnavailable",
            HttpStatusCode.GatewayTimeout => "Timeout",
            _ => "InternalError",
        },
    };
}
