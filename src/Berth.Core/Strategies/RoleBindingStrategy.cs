using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The rbac.authorization.k8s.io/v1 RoleBinding strategy: defaults, <c>ValidateRoleBinding</c>, roleRef immutable.</summary>
public sealed class RoleBindingStrategy : ResourceStrategy<V1RoleBinding>
{
    protected override NameValidator NameValidator => NameValidators.PathSegmentName;

    protected override void Default(V1RoleBinding obj) => RbacValidation.DefaultBinding(obj.RoleRef, obj.Subjects);

    protected override void Validate(V1RoleBinding obj, List<FieldError> errors) =>
        errors.AddRange(RbacValidation.Binding(obj.RoleRef, obj.Subjects, namespaced: true));

    protected override void ValidateUpdate(V1RoleBinding obj, V1RoleBinding old, List<FieldError> errors)
    {
        Validate(obj, errors);
        errors.AddRange(RbacValidation.RoleRefUnchanged(obj.RoleRef, old.RoleRef));
    }
}
