using Microsoft.Extensions.Logging;

namespace Berth.Controllers;

public sealed partial class ControllerManager
{
    /// <summary>Event ids 7020–7039 (hardening range; docs/architecture.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 7020, Level = LogLevel.Critical, Message = "Controller {Controller} stopped while the control plane runs; the cluster no longer converges without it")]
        public static partial void ControllerStopped(ILogger logger, string controller, Exception? exception);
    }
}
