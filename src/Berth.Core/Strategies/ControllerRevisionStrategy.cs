using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The ControllerRevision strategy (apps/v1, pkg/apis/apps/validation <c>ValidateControllerRevision</c>): data is
/// required and immutable, revision is not negative. The StatefulSet controller writes one per template it has run.
/// </summary>
public sealed class ControllerRevisionStrategy : ResourceStrategy<V1ControllerRevision>
{
    protected override void Validate(V1ControllerRevision obj, List<FieldError> errors)
    {
        if (obj.Data is null)
        {
            errors.Add(FieldError.Required(FieldPath.Root("data"), "data is mandatory"));
        }

        errors.AddRange(FieldValidators.NonNegative(obj.Revision ?? 0, FieldPath.Root("revision")));
    }

    protected override void ValidateUpdate(V1ControllerRevision obj, V1ControllerRevision old, List<FieldError> errors)
    {
        Validate(obj, errors);
        if (!ModelCopy.SemanticEqual(obj.Data, old.Data))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("data"), null, FieldValidators.FieldImmutable));
        }
    }
}
