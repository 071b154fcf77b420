using Berth.Controllers;

namespace Berth.Cli;

/// <summary>The controllers of the control plane, in one place.</summary>
internal static class ControllerSet
{
    public static void AddAll(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
    }
}
