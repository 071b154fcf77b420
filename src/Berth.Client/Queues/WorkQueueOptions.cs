namespace Berth.Client.Queues;

/// <summary>Backoff of <see cref="WorkQueue{TKey}.AddRateLimited"/> and the clock of delayed adds.</summary>
public sealed class WorkQueueOptions
{
    /// <summary>The delay of a key's first rate-limited add; each further one doubles it (client-go: 5 ms).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The cap of the per-key delay (client-go: 1000 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1000);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public void Validate()
    {
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            throw new ArgumentException("delays must satisfy 0 < BaseDelay <= MaxDelay");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
