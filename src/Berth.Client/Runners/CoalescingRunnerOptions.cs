namespace Berth.Client.Runners;

/// <summary>Pacing of a <see cref="CoalescingRunner"/> (kube-proxy: <c>--iptables-min-sync-period</c> / <c>--iptables-sync-period</c>).</summary>
public sealed class CoalescingRunnerOptions
{
    /// <summary>Used in logs.</summary>
    public string Name { get; set; } = "sync";

    /// <summary>Runs start at least this far apart, however often <see cref="CoalescingRunner.Run"/> is called.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A run starts at most this long after the previous one even if nothing asked for it.</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When the action throws, it is run again after this long (or sooner if asked).</summary>
    public TimeSpan ErrorRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public void Validate()
    {
        if (MinInterval < TimeSpan.Zero || MaxInterval <= TimeSpan.Zero || MaxInterval < MinInterval)
        {
            throw new ArgumentException("intervals must satisfy 0 <= MinInterval <= MaxInterval and MaxInterval > 0");
        }

        if (ErrorRetryInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("ErrorRetryInterval must not be negative");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
