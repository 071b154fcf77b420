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

    /// <summary>Where Nodes' pod CIDRs come from (<c>--cluster-cidr</c>; host mode: loopback addresses).</summary>
    public string ClusterCidr { get; set; } = "127.244.0.0/16";

    /// <summary>The prefix length of each Node's pod CIDR (<c>--node-cidr-mask-size</c>).</summary>
    public int NodeCidrMaskSize { get; set; } = 24;

    /// <summary>
    /// How long a Node may go without a Lease renewal or Ready heartbeat before its conditions become Unknown
    /// (<c>--node-monitor-grace-period</c>; 50 s as kube-controller-manager since 1.32, kubernetes#126287).
    /// </summary>
    public TimeSpan NodeMonitorGracePeriod { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>How often the node lifecycle controller checks the nodes' health (<c>--node-monitor-period</c>).</summary>
    public TimeSpan NodeMonitorPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The grace period of a Node that never posted a Ready condition (<c>--node-startup-grace-period</c>).</summary>
    public TimeSpan NodeStartupGracePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The CA bundle published in every namespace as the <c>kube-root-ca.crt</c> ConfigMap (kube-controller-manager
    /// <c>--root-ca-file</c>); empty: no publisher runs. <c>berth up</c> / <c>berth server</c> set the cluster CA.
    /// </summary>
    public string RootCaPem { get; set; } = "";

    /// <summary>How often every HPA is reconciled (<c>--horizontal-pod-autoscaler-sync-period</c>).</summary>
    public TimeSpan HorizontalPodAutoscalerSyncPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The downscale stabilization window of HPAs whose behavior leaves it open (<c>--horizontal-pod-autoscaler-downscale-stabilization</c>).</summary>
    public TimeSpan HorizontalPodAutoscalerDownscaleStabilization { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The ratio around 1.0 within which an HPA does not scale (<c>--horizontal-pod-autoscaler-tolerance</c>).</summary>
    public double HorizontalPodAutoscalerTolerance { get; set; } = 0.1;

    /// <summary>After a pod starts, CPU samples count only once it is ready for a full window (<c>--horizontal-pod-autoscaler-cpu-initialization-period</c>).</summary>
    public TimeSpan HorizontalPodAutoscalerCpuInitializationPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A pod not ready this long after its start is taken as never ready yet (<c>--horizontal-pod-autoscaler-initial-readiness-delay</c>).</summary>
    public TimeSpan HorizontalPodAutoscalerInitialReadinessDelay { get; set; } = TimeSpan.FromSeconds(30);

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

        _ = Nodes.NodeCidrSet.Create(ClusterCidr, NodeCidrMaskSize);
        if (NodeMonitorPeriod <= TimeSpan.Zero || NodeMonitorGracePeriod <= NodeMonitorPeriod || NodeStartupGracePeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException("--node-monitor-grace-period must be longer than --node-monitor-period (and both positive)");
        }

        if (HorizontalPodAutoscalerSyncPeriod <= TimeSpan.Zero || HorizontalPodAutoscalerTolerance is < 0 or >= 1 || HorizontalPodAutoscalerDownscaleStabilization < TimeSpan.Zero)
        {
            throw new ArgumentException("--horizontal-pod-autoscaler-sync-period must be positive, the tolerance in [0, 1) and the downscale stabilization not negative");
        }
    }
}
