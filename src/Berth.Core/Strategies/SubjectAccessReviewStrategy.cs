using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary><c>ValidateSubjectAccessReview</c>: the attributes, and a user or a group to check them for.</summary>
public sealed class SubjectAccessReviewStrategy : ReviewStrategy<V1SubjectAccessReview>
{
    protected override void Validate(V1SubjectAccessReview obj, List<FieldError> errors)
    {
        ValidateSpec(obj.Spec, errors);
        ValidateEmptyMetadata(obj.Metadata, allowNamespace: false, errors);
    }

    /// <summary><c>ValidateSubjectAccessReviewSpec</c>, shared with LocalSubjectAccessReview.</summary>
    internal static void ValidateSpec(V1SubjectAccessReviewSpec? spec, List<FieldError> errors)
    {
        ValidateAttributes(spec?.ResourceAttributes, spec?.NonResourceAttributes, errors);
        if (string.IsNullOrEmpty(spec?.User) && (spec?.Groups?.Count ?? 0) == 0)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec").Child("user"), spec?.User ?? "", "at least one of user or group must be specified"));
        }
    }
}
