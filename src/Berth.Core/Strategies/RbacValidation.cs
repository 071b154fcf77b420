using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The rules of kubernetes/kubernetes <c>pkg/apis/rbac/validation/validation.go</c> shared by the four RBAC kinds:
/// policy rules, role references and subjects, with Kubernetes' messages.
/// </summary>
public static class RbacValidation
{
    public const string GroupName = "rbac.authorization.k8s.io";

    public const string UserKind = "User";

    public const string GroupKind = "Group";

    public const string ServiceAccountKind = "ServiceAccount";

    /// <summary><c>ValidatePolicyRule</c>: verbs always; either non-resource URLs (cluster roles only) or groups + resources.</summary>
    public static IEnumerable<FieldError> PolicyRules(IList<V1PolicyRule>? rules, bool namespaced)
    {
        var path = FieldPath.Root("rules");
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            foreach (var error in PolicyRule(rules![i] ?? new V1PolicyRule(), namespaced, path.Index(i)))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<FieldError> PolicyRule(V1PolicyRule rule, bool namespaced, FieldPath path)
    {
        if (Count(rule.Verbs) == 0)
        {
            yield return FieldError.Required(path.Child("verbs"), "verbs must contain at least one value");
        }

        if (Count(rule.NonResourceURLs) > 0)
        {
            var urls = GoSyntax.StringSlice(rule.NonResourceURLs);
            if (namespaced)
            {
                yield return FieldError.InvalidRendered(path.Child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs");
            }

            if (Count(rule.ApiGroups) > 0 || Count(rule.Resources) > 0 || Count(rule.ResourceNames) > 0)
            {
                yield return FieldError.InvalidRendered(path.Child("nonResourceURLs"), urls, "rules cannot apply to both regular resources and non-resource URLs");
            }

            yield break;
        }

        if (Count(rule.ApiGroups) == 0)
        {
            yield return FieldError.Required(path.Child("apiGroups"), "resource rules must supply at least one api group");
        }

        if (Count(rule.Resources) == 0)
        {
            yield return FieldError.Required(path.Child("resources"), "resource rules must supply at least one resource");
        }
    }

    /// <summary><c>SetDefaults_RoleBinding</c> / <c>SetDefaults_Subject</c>: the RBAC group where it was left out.</summary>
    public static void DefaultBinding(V1RoleRef? roleRef, IList<Rbacv1Subject>? subjects)
    {
        if (roleRef is not null && string.IsNullOrEmpty(roleRef.ApiGroup))
        {
            roleRef.ApiGroup = GroupName;
        }

        foreach (var subject in subjects ?? [])
        {
            if (subject is not null && string.IsNullOrEmpty(subject.ApiGroup) && subject.Kind is UserKind or GroupKind)
            {
                subject.ApiGroup = GroupName;
            }
        }
    }

    /// <summary>The roleRef and subject rules of <c>ValidateRoleBinding</c> / <c>ValidateClusterRoleBinding</c>.</summary>
    public static IEnumerable<FieldError> Binding(V1RoleRef? roleRef, IList<Rbacv1Subject>? subjects, bool namespaced)
    {
        roleRef ??= new V1RoleRef();
        var refPath = FieldPath.Root("roleRef");
        if (roleRef.ApiGroup != GroupName)
        {
            yield return FieldError.NotSupported(refPath.Child("apiGroup"), roleRef.ApiGroup ?? "", [GroupName]);
        }

        string[] kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
        if (!kinds.Contains(roleRef.Kind))
        {
            yield return FieldError.NotSupported(refPath.Child("kind"), roleRef.Kind ?? "", kinds);
        }

        var name = roleRef.Name ?? "";
        if (name.Length == 0)
        {
            yield return FieldError.Required(refPath.Child("name"));
        }
        else
        {
            foreach (var message in NameValidators.PathSegmentName(name, false))
            {
                yield return FieldError.Invalid(refPath.Child("name"), name, message);
            }
        }

        var path = FieldPath.Root("subjects");
        for (var i = 0; i < (subjects?.Count ?? 0); i++)
        {
            foreach (var error in Subject(subjects![i] ?? new Rbacv1Subject(), namespaced, path.Index(i)))
            {
                yield return error;
            }
        }
    }

    /// <summary><c>cannot change roleRef</c>: a binding's role is fixed; delete and recreate it to change it.</summary>
    public static IEnumerable<FieldError> RoleRefUnchanged(V1RoleRef? roleRef, V1RoleRef? old)
    {
        if ((roleRef?.ApiGroup, roleRef?.Kind, roleRef?.Name) != (old?.ApiGroup, old?.Kind, old?.Name))
        {
            yield return FieldError.InvalidRendered(FieldPath.Root("roleRef"), RoleRefSyntax(roleRef), "cannot change roleRef");
        }
    }

    /// <summary>Go's <c>%#v</c> of the internal RoleRef, as field errors print it.</summary>
    public static string RoleRefSyntax(V1RoleRef? roleRef) =>
        $"rbac.RoleRef{{APIGroup:{FieldError.Quote(roleRef?.ApiGroup ?? "")}, Kind:{FieldError.Quote(roleRef?.Kind ?? "")}, Name:{FieldError.Quote(roleRef?.Name ?? "")}}}";

    private static IEnumerable<FieldError> Subject(Rbacv1Subject subject, bool namespaced, FieldPath path)
    {
        var name = subject.Name ?? "";
        if (name.Length == 0)
        {
            yield return FieldError.Required(path.Child("name"));
        }

        switch (subject.Kind)
        {
            case ServiceAccountKind:
                if (name.Length > 0)
                {
                    foreach (var message in NameValidators.DNS1123Subdomain(name, false))
                    {
                        yield return FieldError.Invalid(path.Child("name"), name, message);
                    }
                }

                if (!string.IsNullOrEmpty(subject.ApiGroup))
                {
                    yield return FieldError.NotSupported(path.Child("apiGroup"), subject.ApiGroup, [""]);
                }

                if (!namespaced && string.IsNullOrEmpty(subject.NamespaceProperty))
                {
                    yield return FieldError.Required(path.Child("namespace"));
                }

                break;
            case UserKind or GroupKind:
                if (subject.ApiGroup != GroupName)
                {
                    yield return FieldError.NotSupported(path.Child("apiGroup"), subject.ApiGroup ?? "", [GroupName]);
                }

                break;
            default:
                yield return FieldError.NotSupported(path.Child("kind"), subject.Kind ?? "", [ServiceAccountKind, UserKind, GroupKind]);
                break;
        }
    }

    private static int Count<T>(ICollection<T>? list) => list?.Count ?? 0;
}
