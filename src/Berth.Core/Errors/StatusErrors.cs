using k8s.Models;

namespace Berth.Core.Errors;

/// <summary>
/// The Status errors of apimachinery <c>pkg/api/errors/errors.go</c>, with the same codes, reasons
/// and messages. <c>resource</c> is the plural resource name (<c>services</c>), <c>kind</c> the Kind.
/// </summary>
public static class StatusErrors
{
    public static StatusException NotFound(string group, string resource, string name) =>
        Make(404, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found", Details(group, resource, name));

    public static StatusException AlreadyExists(string group, string resource, string name) =>
        Make(409, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists", Details(group, resource, name));

    public static StatusException Conflict(string group, string resource, string name, string detail) =>
        Make(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {detail}", Details(group, resource, name));

    public const string ModifiedDetail = "the object has been modified; please apply your changes to the latest version and try again";

    /// <summary>
    /// At most this many errors are listed in an Invalid Status (message and causes); the rest are counted. A body
    /// of tens of thousands of broken list items would otherwise answer with megabytes that no one reads.
    /// Kubernetes lists them all.
    /// </summary>
    public const int MaxReportedErrors = 1000;

    public static StatusException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var qualifiedKind = group.Length == 0 ? kind : kind + "." + group;
        var reported = errors.Count > MaxReportedErrors ? errors.Take(MaxReportedErrors).ToList() : errors;
        var listed = reported.Select(e => e.ToString());
        if (reported.Count < errors.Count)
        {
            listed = listed.Append($"and {errors.Count - reported.Count} more errors");
        }

        var aggregate = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", listed) + "]";
        var details = new V1StatusDetails
        {
            Name = name,
            Group = group.Length == 0 ? null : group,
            Kind = kind,
            Causes = reported.Select(e => new V1StatusCause { Reason = e.Reason, Message = e.Body, Field = e.Field }).ToList(),
        };
        return Make(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {aggregate}", details);
    }

    public static StatusException BadRequest(string message) => Make(400, "BadRequest", message, null);

    public static StatusException Unauthorized(string message = "Unauthorized") => Make(401, "Unauthorized", message, null);

    public static StatusException Forbidden(string message) => Make(403, "Forbidden", message, null);

    /// <summary>
    /// apimachinery <c>NewForbidden</c>: <c>&lt;resource&gt;[.&lt;group&gt;] ["name"] is forbidden: &lt;why&gt;</c>, or
    /// <c>forbidden: &lt;why&gt;</c> for a request that names no resource (a non-resource path).
    /// </summary>
    public static StatusException Forbidden(string group, string resource, string name, string why)
    {
        var message = resource.Length == 0 && group.Length == 0
            ? "forbidden: " + why
            : name.Length == 0 ? $"{Qualified(resource, group)} is forbidden: {why}" : $"{Qualified(resource, group)} \"{name}\" is forbidden: {why}";
        return Make(403, "Forbidden", message, new V1StatusDetails
        {
            Name = name.Length == 0 ? null : name,
            Group = group.Length == 0 ? null : group,
            Kind = resource.Length == 0 ? null : resource,
        });
    }

    /// <summary>NamespaceLifecycle admission's refusal, with the <c>NamespaceTerminating</c> cause controllers look for.</summary>
    public static StatusException NamespaceTerminating(string ns) =>
        Make(403, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated", new V1StatusDetails
        {
            Causes = [new V1StatusCause { Reason = "NamespaceTerminating", Message = $"namespace {ns} is being terminated", Field = "metadata.namespace" }],
        });

    public static StatusException MethodNotAllowed(string message) => Make(405, "MethodNotAllowed", message, null);

    public static StatusException NotAcceptable(string message) => Make(406, "NotAcceptable", message, null);

    public static StatusException Expired(string message) => Make(410, "Expired", message, null);

    /// <summary>apimachinery <c>NewRequestEntityTooLargeError</c>: "Request entity too large: " + <paramref name="message"/>.</summary>
    public static StatusException RequestEntityTooLarge(string message) => Make(413, "RequestEntityTooLarge", "Request entity too large: " + message, null);

    public static StatusException UnsupportedMediaType(string message) => Make(415, "UnsupportedMediaType", message, null);

    public static StatusException Internal(string message) =>
        Make(500, "InternalError", "Internal error occurred: " + message, new V1StatusDetails { Causes = [new V1StatusCause { Message = message }] });

    /// <summary>apimachinery <c>NewTooManyRequests</c> with causes (what an eviction a disruption budget refuses answers).</summary>
    public static StatusException TooManyRequests(string message, IReadOnlyList<V1StatusCause> causes) =>
        Make(429, "TooManyRequests", message, new V1StatusDetails { Causes = [.. causes] });

    public static StatusException Timeout(string message) => Make(504, "Timeout", message, null);

    public static StatusException ServiceUnavailable(string message) => Make(503, "ServiceUnavailable", message, null);

    /// <summary>
    /// A plain resource not found with no object name (an unknown path or kind): apiserver's NotFound handler, whose
    /// <c>NewGenericServerResponse</c> gives empty details (<c>"details":{}</c>).
    /// </summary>
    public static StatusException PathNotFound() => Unserved("the server could not find the requested resource");

    /// <summary>
    /// A path Berth does not serve, answered as <see cref="PathNotFound"/> (404, empty details — clients such as
    /// <c>kubectl debug</c> tell a missing subresource from a missing object by the empty name) with
    /// <paramref name="message"/> saying why.
    /// </summary>
    public static StatusException Unserved(string message) => Make(404, "NotFound", message, new V1StatusDetails());

    public static V1Status Success(string group, string resource, string name, string? uid) => new()
    {
        Kind = "Status",
        ApiVersion = "v1",
        Metadata = new V1ListMeta(),
        Status = "Success",
        Details = new V1StatusDetails { Name = name, Group = group.Length == 0 ? null : group, Kind = resource, Uid = uid },
    };

    private static string Qualified(string resource, string group) => group.Length == 0 ? resource : resource + "." + group;

    private static V1StatusDetails Details(string group, string resource, string name) =>
        new() { Name = name, Group = group.Length == 0 ? null : group, Kind = resource };

    private static StatusException Make(int code, string reason, string message, V1StatusDetails? details) =>
        new(new V1Status
        {
            Kind = "Status",
            ApiVersion = "v1",
            Metadata = new V1ListMeta(),
            Status = "Failure",
            Message = message,
            Reason = reason,
            Details = details,
            Code = code,
        });
}
