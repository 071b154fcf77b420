namespace Berth.Node.Probes;

/// <summary>The outcome of one probe or of a probe worker so far (pkg/kubelet/prober/results).</summary>
internal enum ProbeResult
{
    Unknown,
    Success,
    Failure,
}
