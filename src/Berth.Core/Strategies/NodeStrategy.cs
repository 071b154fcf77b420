using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The Node strategy; cluster-scoped, name is a DNS-1123 subdomain. Unlike other kinds, the status
/// a node agent registers with is kept on create, as upstream.
/// </summary>
public sealed class NodeStrategy : ResourceStrategy<V1Node>
{
    protected override bool Namespaced => false;

    protected override void PrepareForUpdate(V1Node obj, V1Node old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    /// <summary>
    /// <c>SetDefaults_NodeStatus</c>: allocatable defaults to capacity. <c>spec</c> is a struct in the Go type, so a
    /// Node's JSON always has one (<c>"spec":{}</c>); kept so, a JSON patch of <c>/spec/unschedulable</c> (the C#
    /// client's cordon) finds its parent on a Node registered without a spec.
    /// </summary>
    protected override void Default(V1Node obj)
    {
        obj.Spec ??= new V1NodeSpec();
        if (obj.Status is { Allocatable: null, Capacity: not null } status)
        {
            status.Allocatable = new Dictionary<string, ResourceQuantity>(status.Capacity);
        }
    }

    protected override void Validate(V1Node obj, List<FieldError> errors)
    {
        var cidrs = obj.Spec?.PodCIDRs ?? [];
        for (var i = 0; i < cidrs.Count; i++)
        {
            errors.AddRange(FieldValidators.CIDR(cidrs[i], FieldPath.Root("spec").Child("podCIDRs").Index(i)));
        }
    }

    protected override void ValidateUpdate(V1Node obj, V1Node old, List<FieldError> errors)
    {
        Validate(obj, errors);
        var oldCidrs = old.Spec?.PodCIDRs ?? [];
        if (oldCidrs.Count > 0 && !oldCidrs.SequenceEqual(obj.Spec?.PodCIDRs ?? [], StringComparer.Ordinal))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("podCIDRs"), "node updates may not change podCIDR except from \"\" to valid"));
        }

        if (!string.IsNullOrEmpty(old.Spec?.ProviderID) && old.Spec.ProviderID != obj.Spec?.ProviderID)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("providerID"), "node updates may not change providerID except from \"\" to valid"));
        }
    }

    protected override string? GetSelectableField(V1Node obj, string field) => field switch
    {
        "spec.unschedulable" => obj.Spec?.Unschedulable == true ? "true" : "false",
        _ => null,
    };
}
