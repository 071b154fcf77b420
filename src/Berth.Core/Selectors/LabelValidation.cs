using Berth.Core.Errors;
using Berth.Core.Validation;

namespace Berth.Core.Selectors;

/// <summary>
/// Label key and value checks of the selector parser (apimachinery <c>labels.Parse</c>): the same rules and wording as
/// object validation (<see cref="ContentValidation"/>), rendered as the parser's <c>field.Invalid</c> text.
/// </summary>
internal static class LabelValidation
{
    /// <summary>Errors of <c>validation.IsQualifiedName</c> for a label key; empty when valid.</summary>
    public static IReadOnlyList<string> ValidateKey(string key) => ContentValidation.IsQualifiedName(key);

    /// <summary>Errors of <c>validation.IsValidLabelValue</c>; empty when valid.</summary>
    public static IReadOnlyList<string> ValidateValue(string value) => ContentValidation.IsValidLabelValue(value);

    /// <summary>A <c>field.Invalid</c> error as text: <c>path: Invalid value: "v": detail; detail</c>.</summary>
    public static string Invalid(string? path, string value, IEnumerable<string> details) =>
        (path ?? "<nil>") + ": Invalid value: " + FieldError.Quote(value) + ": " + string.Join("; ", details);

    /// <summary>A list of values as Go's <c>json.Marshal</c> renders a bad value.</summary>
    public static string JsonList(IReadOnlyList<string> values) => "[" + string.Join(",", values.Select(v => FieldError.Quote(v))) + "]";
}
