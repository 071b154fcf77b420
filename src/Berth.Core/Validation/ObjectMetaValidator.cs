using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Validation;

/// <summary>
/// <c>ValidateObjectMeta</c> / <c>ValidateObjectMetaUpdate</c> of apimachinery
/// <c>api/validation/objectmeta.go</c>. Fields the API server sets itself (uid, resourceVersion,
/// creationTimestamp, generation) are not required here.
/// </summary>
public static class ObjectMetaValidator
{
    private static readonly FieldPath _metadataPath = FieldPath.Root("metadata");

    public static IReadOnlyList<FieldError> Validate(V1ObjectMeta? meta, bool namespaced, NameValidator nameValidator)
    {
        var errors = new List<FieldError>();
        meta ??= new V1ObjectMeta();
        var path = _metadataPath;
        var generateName = meta.GenerateName ?? "";
        var name = meta.Name ?? "";
        if (generateName.Length != 0)
        {
            errors.AddRange(nameValidator(generateName, true).Select(m => FieldError.Invalid(path.Child("generateName"), generateName, m)));
        }

        if (name.Length == 0)
        {
            // Upstream generates the name before validating; if the server has not done so yet,
            // a valid generateName is enough.
            if (generateName.Length == 0)
            {
                errors.Add(FieldError.Required(path.Child("name"), "name or generateName is required"));
            }
        }
        else
        {
            errors.AddRange(nameValidator(name, false).Select(m => FieldError.Invalid(path.Child("name"), name, m)));
        }

        var ns = meta.NamespaceProperty ?? "";
        if (namespaced)
        {
            if (ns.Length == 0)
            {
                errors.Add(FieldError.Required(path.Child("namespace")));
            }
            else
            {
                errors.AddRange(NameValidators.DNS1123Label(ns, false).Select(m => FieldError.Invalid(path.Child("namespace"), ns, m)));
            }
        }
        else if (ns.Length != 0)
        {
            errors.Add(FieldError.Forbidden(path.Child("namespace"), "not allowed on this type"));
        }

        errors.AddRange(FieldValidators.NonNegative(meta.Generation ?? 0, path.Child("generation")));
        errors.AddRange(FieldValidators.Labels(meta.Labels, path.Child("labels")));
        errors.AddRange(FieldValidators.Annotations(meta.Annotations, path.Child("annotations")));
        errors.AddRange(OwnerReferences(meta.OwnerReferences, path.Child("ownerReferences")));
        errors.AddRange(Finalizers(meta.Finalizers, path.Child("finalizers")));
        return errors;
    }

    /// <summary>The update-only rules: identity fields immutable, no new finalizers while deleting.</summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(V1ObjectMeta? meta, V1ObjectMeta? old)
    {
        var errors = new List<FieldError>();
        meta ??= new V1ObjectMeta();
        old ??= new V1ObjectMeta();
        var path = _metadataPath;
        if (old.DeletionTimestamp is not null)
        {
            var added = (meta.Finalizers ?? []).Except(old.Finalizers ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (added.Count != 0)
            {
                errors.Add(FieldError.Forbidden(path.Child("finalizers"), "no new finalizers can be added if the object is being deleted, found new finalizers " + GoSyntax.StringSlice(added)));
            }
        }

        if ((meta.Generation ?? 0) < (old.Generation ?? 0))
        {
            errors.Add(FieldError.Invalid(path.Child("generation"), meta.Generation ?? 0, "must not be decremented"));
        }

        Immutable(meta.Name, old.Name, path.Child("name"), errors);
        Immutable(meta.NamespaceProperty, old.NamespaceProperty, path.Child("namespace"), errors);
        Immutable(meta.Uid, old.Uid, path.Child("uid"), errors);
        return errors;
    }

    /// <summary>
    /// What <c>rest.BeforeUpdate</c> restores before validation: the creation timestamp, and the
    /// uid / deletion fields when the client left them out.
    /// </summary>
    public static void PrepareForUpdate(V1ObjectMeta? meta, V1ObjectMeta? old)
    {
        if (meta is null || old is null)
        {
            return;
        }

        meta.CreationTimestamp = old.CreationTimestamp;
        if (string.IsNullOrEmpty(meta.Uid))
        {
            meta.Uid = old.Uid;
        }

        meta.DeletionTimestamp ??= old.DeletionTimestamp;
        meta.DeletionGracePeriodSeconds ??= old.DeletionGracePeriodSeconds;
    }

    public static IEnumerable<FieldError> Finalizers(IList<string>? finalizers, FieldPath path)
    {
        if (finalizers is null)
        {
            yield break;
        }

        foreach (var f in finalizers)
        {
            foreach (var e in FieldValidators.QualifiedName(f, path))
            {
                yield return e;
            }
        }

        if (finalizers.Contains("orphan") && finalizers.Contains("foregroundDeletion"))
        {
            yield return FieldError.InvalidRendered(path, GoSyntax.StringSlice(finalizers), "finalizer orphan and foregroundDeletion cannot be both set");
        }
    }

    public static IEnumerable<FieldError> OwnerReferences(IList<V1OwnerReference>? references, FieldPath path)
    {
        if (references is null)
        {
            yield break;
        }

        string? firstController = null;
        foreach (var r in references)
        {
            var apiVersion = r.ApiVersion ?? "";
            var version = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : apiVersion;
            if (version.Length == 0)
            {
                yield return FieldError.Invalid(path.Child("apiVersion"), apiVersion, "version must not be empty");
            }

            if (string.IsNullOrEmpty(r.Kind))
            {
                yield return FieldError.Invalid(path.Child("kind"), r.Kind ?? "", "must not be empty");
            }

            if (string.IsNullOrEmpty(r.Name))
            {
                yield return FieldError.Invalid(path.Child("name"), r.Name ?? "", "must not be empty");
            }

            if (string.IsNullOrEmpty(r.Uid))
            {
                yield return FieldError.Invalid(path.Child("uid"), r.Uid ?? "", "must not be empty");
            }

            if (r.Controller == true)
            {
                var current = r.Kind + "/" + r.Name;
                if (firstController is not null)
                {
                    yield return FieldError.InvalidRendered(path, "[]v1.OwnerReference{...}", "Only one reference can have Controller set to true. Found \"true\" in references for " + firstController + " and " + current);
                }
                else
                {
                    firstController = current;
                }
            }
        }
    }

    private static void Immutable(string? value, string? old, FieldPath path, List<FieldError> errors)
    {
        if ((value ?? "") != (old ?? ""))
        {
            errors.Add(FieldError.Invalid(path, value ?? "", FieldValidators.FieldImmutable));
        }
    }
}
