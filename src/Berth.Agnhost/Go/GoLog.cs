using System.Globalization;

namespace Berth.Agnhost.Go;

/// <summary>
/// Go's standard <c>log</c> package, which agnhost writes its lines with: <c>2006/01/02 15:04:05 message</c> on
/// stderr (UTC here). These lines are the pod's log, read by people and e2e tests, so they keep Go's shape rather
/// than Berth's logger's.
/// </summary>
internal sealed class GoLog(TextWriter writer, TimeProvider time)
{
    public void Print(string message)
    {
        var stamp = time.GetUtcNow().ToString("yyyy/MM/dd HH:mm:ss ", CultureInfo.InvariantCulture);
        writer.Write(message.EndsWith('\n') ? stamp + message : stamp + message + "\n");
    }
}
