namespace Berth.Client.Informers;

/// <summary>What an informer watches and how it paces itself.</summary>
public sealed class InformerOptions
{
    /// <summary>The namespace to watch; null watches all namespaces (or a cluster-scoped resource).</summary>
    public string? Namespace { get; set; }

    public string? LabelSelector { get; set; }

    public string? FieldSelector { get; set; }

    /// <summary>Every this often each cached object is delivered again as an update (zero: never).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.Zero;

    /// <summary>Each watch asks the server to end it after this long; the informer then watches again from where it was.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First delay after a failed list or watch; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public void Validate()
    {
        if (ResyncPeriod < TimeSpan.Zero)
        {
            throw new ArgumentException("ResyncPeriod must not be negative");
        }

        if (WatchTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("WatchTimeout must be at least one second (the API takes whole seconds)");
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException("backoff must satisfy 0 < InitialBackoff <= MaxBackoff");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
