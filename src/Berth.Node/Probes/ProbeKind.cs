namespace Berth.Node.Probes;

internal enum ProbeKind
{
    Startup,
    Liveness,
    Readiness,
}
