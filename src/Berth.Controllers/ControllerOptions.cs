namespace Berth.Controllers;

/// <summary>Settings shared by the controllers of <c>berth up</c> / <c>berth server</c>.</summary>
public sealed class ControllerOptions
{
    /// <summary>Endpoints per EndpointSlice (<c>--max-endpoints-per-slice</c>, 1..1000).</summary>
    public int MaxEndpointsPerSlice { get; set; } = 100;

    /// <summary>Workers per controller queue.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>The load-balancer address pool (<c>--lb-pool</c>; host mode: loopback addresses).</summary>
    public string LoadBalancerPool { get; set; } = "127.200.0.0/24";

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public void Validate()
    {
        if (MaxEndpointsPerSlice is < 1 or > 1000)
        {
            throw new ArgumentException($"--max-endpoints-per-slice must be between 1 and 1000, not {MaxEndpointsPerSlice}");
        }

        if (Workers < 1)
        {
            throw new ArgumentException("at least one worker per controller is needed");
        }
    }
}
