using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The rbac.authorization.k8s.io/v1 Role strategy (<c>ValidateRole</c>): path-segment names, namespaced rules.</summary>
public sealed class RoleStrategy : ResourceStrategy<V1Role>
{
    protected override NameValidator NameValidator => NameValidators.PathSegmentName;

    protected override void Validate(V1Role obj, List<FieldError> errors) =>
        errors.AddRange(RbacValidation.PolicyRules(obj.Rules, namespaced: true));
}
