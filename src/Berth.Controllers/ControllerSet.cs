using Berth.Controllers.CronJobs;
using Berth.Controllers.DaemonSets;
using Berth.Controllers.Deployments;
using Berth.Controllers.Disruption;
using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSliceMirroring;
using Berth.Controllers.EndpointSlices;
using Berth.Controllers.GarbageCollection;
using Berth.Controllers.HorizontalPodAutoscalers;
using Berth.Controllers.Jobs;
using Berth.Controllers.LoadBalancer;
using Berth.Controllers.Namespaces;
using Berth.Controllers.Nodes;
using Berth.Controllers.ReplicaSets;
using Berth.Controllers.Scheduling;
using Berth.Controllers.ServiceAccounts;
using Berth.Controllers.StatefulSets;

namespace Berth.Controllers;

/// <summary>The controllers of the control plane, in one place: what <c>berth up</c>, <c>berth server</c> and the benchmarks run.</summary>
public static class ControllerSet
{
    public static void AddAll(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.Add(m => new EndpointSliceController(m));
        manager.Add(m => new EndpointsController(m));
        manager.Add(m => new MirroringController(m));
        manager.Add(m => new ReplicaSetController(m));
        manager.Add(m => new DeploymentController(m));
        manager.Add(m => new Scheduler(m));
        manager.Add(m => new GarbageCollector(m));
        manager.Add(m => new NamespaceController(m));
        manager.Add(m => new LoadBalancerController(m));
        manager.Add(m => new NodeIpamController(m));
        manager.Add(m => new NodeLifecycleController(m));
        manager.Add(m => new StatefulSetController(m));
        manager.Add(ReplicaSetController.ForReplicationControllers);
        manager.Add(m => new NamespaceObjectController<k8s.Models.V1ServiceAccount>(m, "serviceaccount", new DefaultServiceAccount()));
        if (manager.Options.RootCaPem is { Length: > 0 } rootCa)
        {
            manager.Add(m => new NamespaceObjectController<k8s.Models.V1ConfigMap>(m, "root-ca-cert-publisher", new RootCaConfigMap(rootCa)));
        }
        manager.Add(m => new JobController(m));
        manager.Add(m => new TtlAfterFinishedController(m));
        manager.Add(m => new CronJobController(m));
        manager.Add(m => new HorizontalPodAutoscalerController(m));
        manager.Add(m => new DaemonSetController(m));
        manager.Add(m => new DisruptionController(m));
    }
}
