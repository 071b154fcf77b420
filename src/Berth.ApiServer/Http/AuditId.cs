using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>
/// Every request gets an audit ID, sent back in the <c>Audit-Id</c> response header as kube-apiserver does
/// (apiserver/pkg/endpoints/filters/audit_init.go): the client's own <c>Audit-ID</c> when it sent a sane one,
/// otherwise a new UUID. An internal error's Status names it and the server log records it with the cause, so a
/// user can hand the operator a token instead of a stack trace.
/// </summary>
internal static class AuditId
{
    public const string Header = "Audit-Id";

    /// <summary>Longer or odder client IDs are replaced: the ID goes into log lines.</summary>
    private const int MaxLength = 64;

    /// <summary>Runs first in the pipeline, before authentication, so that every answer carries the header.</summary>
    public static Task AssignAsync(HttpContext context, RequestDelegate next)
    {
        var sent = context.Request.Headers[Header].ToString();
        var id = sent.Length is > 0 and <= MaxLength && sent.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? sent
            : Guid.NewGuid().ToString();
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        return next(context);
    }

    /// <summary>The request's audit ID.</summary>
    public static string Of(HttpContext context) => context.TraceIdentifier;
}
