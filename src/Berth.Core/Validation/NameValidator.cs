namespace Berth.Core.Validation;

/// <summary>
/// Checks an object name (or, with <paramref name="prefix"/>, a <c>generateName</c> prefix) and returns
/// its problems, as apimachinery's <c>ValidateNameFunc</c>.
/// </summary>
public delegate IReadOnlyList<string> NameValidator(string name, bool prefix);

/// <summary>The standard name rules of apimachinery <c>api/validation/generic.go</c>.</summary>
public static class NameValidators
{
    /// <summary>Most kinds (Pod, ConfigMap, Node, Endpoints, Deployment, …).</summary>
    public static IReadOnlyList<string> DNS1123Subdomain(string name, bool prefix) => ContentValidation.IsDNS1123Subdomain(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Namespace.</summary>
    public static IReadOnlyList<string> DNS1123Label(string name, bool prefix) => ContentValidation.IsDNS1123Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Service.</summary>
    public static IReadOnlyList<string> DNS1035Label(string name, bool prefix) => ContentValidation.IsDNS1035Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>
    /// Roles and bindings (<c>ValidateRBACName</c>: apimachinery <c>path.IsValidPathSegmentName</c>): anything that
    /// can be one URL path segment, so <c>system:node</c> is a valid name.
    /// </summary>
    public static IReadOnlyList<string> PathSegmentName(string name, bool prefix)
    {
        if (name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }

        List<string> errors = [];
        foreach (var illegal in (string[])["/", "%"])
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                errors.Add($"may not contain '{illegal}'");
            }
        }

        return errors;
    }

    /// <summary>A generated name ends in random characters, so a prefix may end with '-'.</summary>
    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name[^1] == '-' ? name[..^1] + "a" : name;
}
