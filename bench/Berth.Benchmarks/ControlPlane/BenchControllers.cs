using Berth.Controllers;
using Berth.Controllers.Deployments;
using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSliceMirroring;
using Berth.Controllers.EndpointSlices;
using Berth.Controllers.GarbageCollection;
using Berth.Controllers.LoadBalancer;
using Berth.Controllers.Namespaces;
using Berth.Controllers.ReplicaSets;
using Berth.Controllers.Scheduling;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>Every controller <c>berth up</c> runs (the same list as src/Berth/Cli/ControllerSet.cs, which is internal to the executable).</summary>
internal static class BenchControllers
{
    public static void AddAll(ControllerManager manager)
    {
        manager.Add(m => new EndpointSliceController(m));
        manager.Add(m => new EndpointsController(m));
        manager.Add(m => new MirroringController(m));
        manager.Add(m => new ReplicaSetController(m));
        manager.Add(m => new DeploymentController(m));
        manager.Add(m => new Scheduler(m));
        manager.Add(m => new GarbageCollector(m));
        manager.Add(m => new NamespaceController(m));
        manager.Add(m => new LoadBalancerController(m));
    }
}
