using k8s;
using k8s.Models;

namespace Berth.ApiServer.Allocation;

/// <summary>Allocations that are part of a kind's writes (Services: cluster IPs and NodePorts).</summary>
internal interface IAllocationHook
{
    /// <summary>After defaulting, before validation of a create. Throws a Status when allocation fails.</summary>
    AllocationTransaction BeforeCreate(IKubernetesObject<V1ObjectMeta> obj, bool dryRun);

    /// <summary>After defaulting, before validation of an update.</summary>
    AllocationTransaction BeforeUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old, bool dryRun);

    /// <summary>After a delete has committed.</summary>
    void AfterDelete(IKubernetesObject<V1ObjectMeta> obj);
}
