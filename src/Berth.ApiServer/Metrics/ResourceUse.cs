using System.Globalization;

namespace Berth.ApiServer.Metrics;

/// <summary>CPU in nanocores and the working set in bytes, rendered as metrics-server renders them (<c>12345n</c>, <c>2048Ki</c>).</summary>
internal sealed record ResourceUse(long NanoCores, long MemoryBytes)
{
    public string Cpu => NanoCores.ToString(CultureInfo.InvariantCulture) + "n";

    public string Memory => MemoryBytes % 1024 == 0
        ? (MemoryBytes / 1024).ToString(CultureInfo.InvariantCulture) + "Ki"
        : MemoryBytes.ToString(CultureInfo.InvariantCulture);
}
