using Berth.Controllers;
using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSliceMirroring;
using Berth.Controllers.EndpointSlices;

namespace Berth.Cli;

/// <summary>The controllers of the control plane, in one place.</summary>
internal static class ControllerSet
{
    public static void AddAll(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.Add(m => new EndpointSliceController(m));
        manager.Add(m => new EndpointsController(m));
        manager.Add(m => new MirroringController(m));
    }
}
