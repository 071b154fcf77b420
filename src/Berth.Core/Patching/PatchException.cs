using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Patching;

/// <summary>
/// A patch that is malformed or does not apply. <see cref="ToStatusException"/> gives the Status the
/// Kubernetes API server sends for it (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
/// </summary>
public sealed class PatchException : Exception
{
    /// <summary>The message of apimachinery's <c>NewGenericServerResponse</c> for a 422.</summary>
    public const string InvalidMessage = "the server rejected our request due to an error in our request";

    public PatchException()
        : this("invalid patch")
    {
    }

    public PatchException(string message)
        : this(message, PatchErrorKind.BadRequest)
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = PatchErrorKind.BadRequest;
    }

    public PatchException(string message, PatchErrorKind kind)
        : base(message)
    {
        Kind = kind;
    }

    public PatchErrorKind Kind { get; }

    /// <summary>The HTTP status code: 400 or 422.</summary>
    public int Code => Kind == PatchErrorKind.Invalid ? 422 : 400;

    internal static PatchException Invalid(string message) => new(message, PatchErrorKind.Invalid);

    /// <summary>
    /// 400 BadRequest carries the message itself; 422 Invalid carries the fixed generic message and this
    /// message as its single cause, as the Kubernetes API server does.
    /// </summary>
    public StatusException ToStatusException()
    {
        if (Kind == PatchErrorKind.BadRequest)
        {
            return StatusErrors.BadRequest(Message);
        }

        return new StatusException(new V1Status
        {
            Kind = "Status",
            ApiVersion = "v1",
            Metadata = new V1ListMeta(),
            Status = "Failure",
            Message = InvalidMessage,
            Reason = "Invalid",
            Code = 422,
            Details = new V1StatusDetails
            {
                Causes = [new V1StatusCause { Reason = "UnexpectedServerResponse", Message = Message }],
            },
        });
    }
}
