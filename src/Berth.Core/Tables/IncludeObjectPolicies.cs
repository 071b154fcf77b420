using Berth.Core.Errors;

namespace Berth.Core.Tables;

/// <summary>Reads the <c>includeObject</c> query parameter as the API server does.</summary>
public static class IncludeObjectPolicies
{
    /// <summary>
    /// The policy <paramref name="value"/> names, compared exactly as Go does; anything else is the 400 of asTable
    /// (<c>unrecognized includeObject value: "…"</c>).
    /// </summary>
    public static IncludeObjectPolicy Parse(string? value) => value switch
    {
        null or "" or "Metadata" => IncludeObjectPolicy.Metadata,
        "Object" => IncludeObjectPolicy.Object,
        "None" => IncludeObjectPolicy.None,
        _ => throw StatusErrors.BadRequest("unrecognized includeObject value: " + FieldError.Quote(value)),
    };
}
