using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The coordination.k8s.io/v1 Lease strategy (<c>ValidateLeaseSpec</c>).</summary>
public sealed class LeaseStrategy : ResourceStrategy<V1Lease>
{
    protected override void Validate(V1Lease obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1LeaseSpec();
        var path = FieldPath.Root("spec");
        if (spec.LeaseDurationSeconds is <= 0)
        {
            errors.Add(FieldError.Invalid(path.Child("leaseDurationSeconds"), spec.LeaseDurationSeconds.Value, "must be greater than 0"));
        }

        if (spec.LeaseTransitions is < 0)
        {
            errors.Add(FieldError.Invalid(path.Child("leaseTransitions"), spec.LeaseTransitions.Value, "must be greater than or equal to 0"));
        }
    }
}
