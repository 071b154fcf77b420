using System.Globalization;
using System.Text;

namespace Berth.Core.Metrics;

/// <summary>
/// The Prometheus text of the kubelet's <c>/metrics/resource</c> endpoint (pkg/kubelet/metrics/collectors/
/// resource_metrics.go), which metrics-server scrapes: <c>node_cpu_usage_seconds_total</c>,
/// <c>node_memory_working_set_bytes</c>, <c>container_cpu_usage_seconds_total</c> and
/// <c>container_memory_working_set_bytes</c> (labels container, namespace, pod), each with its timestamp in
/// milliseconds. The node agent writes it, the API server reads it back; metric names and labels are the kubelet's.
/// </summary>
public static class ResourceMetricsText
{
    private const string NodeCpu = "node_cpu_usage_seconds_total";
    private const string NodeMemory = "node_memory_working_set_bytes";
    private const string ContainerCpu = "container_cpu_usage_seconds_total";
    private const string ContainerMemory = "container_memory_working_set_bytes";

    public static string Write(ResourceSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var ms = " " + sample.Timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "\n";
        var text = new StringBuilder();
        Header(text, ContainerCpu, "counter", "Cumulative cpu time consumed by the container in core-seconds");
        foreach (var c in sample.Containers)
        {
            text.Append(ContainerCpu).Append(Labels(c)).Append(' ').Append(Number(c.Usage.CpuSeconds)).Append(ms);
        }

        Header(text, ContainerMemory, "gauge", "Current working set of the container in bytes");
        foreach (var c in sample.Containers)
        {
            text.Append(ContainerMemory).Append(Labels(c)).Append(' ').Append(c.Usage.MemoryWorkingSetBytes.ToString(CultureInfo.InvariantCulture)).Append(ms);
        }

        if (sample.Node is { } node)
        {
            Header(text, NodeCpu, "counter", "Cumulative cpu time consumed by the node in core-seconds");
            text.Append(NodeCpu).Append(' ').Append(Number(node.CpuSeconds)).Append(ms);
            Header(text, NodeMemory, "gauge", "Current working set of the node in bytes");
            text.Append(NodeMemory).Append(' ').Append(node.MemoryWorkingSetBytes.ToString(CultureInfo.InvariantCulture)).Append(ms);
        }

        return text.ToString();
    }

    /// <summary>
    /// Reads what <see cref="Write"/> wrote (and the kubelet's own text): samples of other metrics and comments are
    /// skipped; a container needs both its CPU and memory samples. The sample's timestamp is the latest one seen.
    /// </summary>
    public static ResourceSample Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double? nodeCpu = null;
        long? nodeMemory = null;
        long latest = 0;
        var cpu = new Dictionary<(string, string, string), double>();
        var memory = new Dictionary<(string, string, string), long>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !TryParseLine(line, out var name, out var labels, out var value, out var timestamp))
            {
                continue;
            }

            latest = Math.Max(latest, timestamp);
            var key = (labels.GetValueOrDefault("namespace", ""), labels.GetValueOrDefault("pod", ""), labels.GetValueOrDefault("container", ""));
            switch (name)
            {
                case NodeCpu:
                    nodeCpu = value;
                    break;
                case NodeMemory:
                    nodeMemory = (long)value;
                    break;
                case ContainerCpu:
                    cpu[key] = value;
                    break;
                case ContainerMemory:
                    memory[key] = (long)value;
                    break;
                default:
                    break;
            }
        }

        var containers = cpu
            .Where(c => memory.ContainsKey(c.Key))
            .Select(c => new ContainerUsage(c.Key.Item1, c.Key.Item2, c.Key.Item3, new UsageReading(c.Value, memory[c.Key])))
            .ToList();
        var nodeUsage = nodeCpu is { } n && nodeMemory is { } m ? new UsageReading(n, m) : null;
        return new ResourceSample(DateTimeOffset.FromUnixTimeMilliseconds(latest), nodeUsage, containers);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static string Labels(ContainerUsage c) =>
        $"{{container=\"{Escape(c.Container)}\",namespace=\"{Escape(c.Namespace)}\",pod=\"{Escape(c.Pod)}\"}}";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary><c>name{a="b",…} value [timestamp]</c>.</summary>
    private static bool TryParseLine(string line, out string name, out Dictionary<string, string> labels, out double value, out long timestamp)
    {
        labels = [];
        value = 0;
        timestamp = 0;
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        name = line[..i];
        if (i < line.Length && line[i] == '{' && !TryParseLabels(line, ref i, labels))
        {
            return false;
        }

        var fields = line[i..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 1
            && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && (fields.Length < 2 || long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out timestamp));
    }

    private static bool TryParseLabels(string line, ref int i, Dictionary<string, string> labels)
    {
        i++; // '{'
        while (i < line.Length && line[i] != '}')
        {
            var eq = line.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
            {
                return false;
            }

            var key = line[i..eq].Trim().TrimStart(',');
            var value = new StringBuilder();
            var j = eq + 2;
            for (; j < line.Length && line[j] != '"'; j++)
            {
                if (line[j] == '\\' && j + 1 < line.Length)
                {
                    j++;
                    value.Append(line[j] == 'n' ? '\n' : line[j]);
                }
                else
                {
                    value.Append(line[j]);
                }
            }

            labels[key] = value.ToString();
            i = j + 1;
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
        }

        i++; // '}'
        return i <= line.Length;
    }
}
