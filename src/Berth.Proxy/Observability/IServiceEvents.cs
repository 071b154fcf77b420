using Berth.Proxy.Model;

namespace Berth.Proxy.Observability;

/// <summary>Where the data plane reports problems with a Service (a port it cannot open, a protocol it cannot serve).</summary>
internal interface IServiceEvents
{
    /// <summary>Records a Warning event about <paramref name="service"/>; never blocks, never throws.</summary>
    void Warning(ServiceRef service, string reason, string message);
}
