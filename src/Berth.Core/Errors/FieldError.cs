using System.Globalization;
using System.Text;

namespace Berth.Core.Errors;

/// <summary>
/// One validation error, rendered exactly as apimachinery's <c>field.Error</c>: <c>&lt;path&gt;: &lt;body&gt;</c>.
/// <see cref="Value"/> is the bad value already rendered the way Go's <c>%q</c>, <c>%v</c> or
/// <c>%#v</c> prints it, or null when the body shows no value.
/// </summary>
public sealed record FieldError(FieldErrorType Type, string Field, string? Value, string Detail)
{
    public static FieldError Required(FieldPath path, string detail = "") => new(FieldErrorType.Required, path.ToString(), null, detail);

    public static FieldError Forbidden(FieldPath path, string detail) => new(FieldErrorType.Forbidden, path.ToString(), null, detail);

    public static FieldError Invalid(FieldPath path, string? value, string detail) => new(FieldErrorType.Invalid, path.ToString(), Quote(value), detail);

    public static FieldError Invalid(FieldPath path, long value, string detail) => new(FieldErrorType.Invalid, path.ToString(), value.ToString(CultureInfo.InvariantCulture), detail);

    /// <summary>An invalid value whose Go rendering the caller built (<c>[]string{"a"}</c>, a struct).</summary>
    public static FieldError InvalidRendered(FieldPath path, string rendered, string detail) => new(FieldErrorType.Invalid, path.ToString(), rendered, detail);

    public static FieldError Duplicate(FieldPath path, string? value) => new(FieldErrorType.Duplicate, path.ToString(), Quote(value), "");

    public static FieldError Duplicate(FieldPath path, long value) => new(FieldErrorType.Duplicate, path.ToString(), value.ToString(CultureInfo.InvariantCulture), "");

    public static FieldError DuplicateRendered(FieldPath path, string rendered) => new(FieldErrorType.Duplicate, path.ToString(), rendered, "");

    public static FieldError NotSupported(FieldPath path, string? value, IEnumerable<string> supported) =>
        new(FieldErrorType.NotSupported, path.ToString(), Quote(value), "supported values: " + string.Join(", ", supported.Select(s => Quote(s))));

    public static FieldError NotFound(FieldPath path, string? value) => new(FieldErrorType.NotFound, path.ToString(), Quote(value), "");

    public static FieldError TooLong(FieldPath path, int maxLength) => new(FieldErrorType.TooLong, path.ToString(), null, "may not be more than " + maxLength.ToString(CultureInfo.InvariantCulture) + " bytes");

    public static FieldError TooMany(FieldPath path, int actual, int max) =>
        new(FieldErrorType.TooMany, path.ToString(), actual.ToString(CultureInfo.InvariantCulture), "must have at most " + max.ToString(CultureInfo.InvariantCulture) + " items");

    public static FieldError Internal(FieldPath path, string detail) => new(FieldErrorType.Internal, path.ToString(), null, detail);

    /// <summary>The cause reason of a Status (<c>FieldValueInvalid</c>, …).</summary>
    public string Reason => Type switch
    {
        FieldErrorType.NotFound => "FieldValueNotFound",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        _ => "InternalError",
    };

    private string TypeText => Type switch
    {
        FieldErrorType.NotFound => "Not found",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        _ => "Internal error",
    };

    /// <summary>The body without the field path, as <c>field.Error.ErrorBody()</c>.</summary>
    public string Body
    {
        get
        {
            var s = Value is null || Type is FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong or FieldErrorType.Internal
                ? TypeText
                : TypeText + ": " + Value;
            return Detail.Length == 0 ? s : s + ": " + Detail;
        }
    }

    public override string ToString() => Field + ": " + Body;

    /// <summary>Go's <c>%q</c> for a string; <c>null</c> for a nil pointer.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
