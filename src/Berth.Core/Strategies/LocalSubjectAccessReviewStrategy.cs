using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary><c>ValidateLocalSubjectAccessReview</c>: a SubjectAccessReview confined to its namespace.</summary>
public sealed class LocalSubjectAccessReviewStrategy : ReviewStrategy<V1LocalSubjectAccessReview>
{
    protected override void Validate(V1LocalSubjectAccessReview obj, List<FieldError> errors)
    {
        SubjectAccessReviewStrategy.ValidateSpec(obj.Spec, errors);
        ValidateEmptyMetadata(obj.Metadata, allowNamespace: true, errors);
        var ns = obj.Metadata?.NamespaceProperty ?? "";
        if (obj.Spec?.ResourceAttributes is { } attributes && (attributes.NamespaceProperty ?? "") != ns)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec").Child("resourceAttributes").Child("namespace"), attributes.NamespaceProperty ?? "", "must match metadata.namespace"));
        }

        if (obj.Spec?.NonResourceAttributes is { } nonResource)
        {
            errors.Add(FieldError.InvalidRendered(FieldPath.Root("spec").Child("nonResourceAttributes"), NonResourceSyntax(nonResource), "disallowed on this kind of request"));
        }
    }
}
