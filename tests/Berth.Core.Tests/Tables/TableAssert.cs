using System.Text.Json.Nodes;
using Berth.Core.Resources;
using Berth.Core.Tables;
using k8s;
using k8s.Models;

namespace Berth.Core.Tests.Tables;

/// <summary>Runs the convertor for one object and reads its cells back as kubectl would print them.</summary>
internal static class TableAssert
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTime Ago(TimeSpan age) => (Now - age).UtcDateTime;

    public static JsonObject Convert(string group, string kind, params IKubernetesObject<V1ObjectMeta>[] items) =>
        TableConvertor.Convert(Resource(group, kind), items, "42", null, Now);

    public static ResourceInfo Resource(string group, string kind) =>
        ResourceRegistry.Default.FindKind(group, kind) ?? throw new InvalidOperationException(kind);

    /// <summary>The row's cells as text, as <c>kubectl get -o wide</c> prints them.</summary>
    public static string[] Cells(string group, string kind, IKubernetesObject<V1ObjectMeta> item)
    {
        var table = Convert(group, kind, item);
        var row = table["rows"]!.AsArray().Single()!;
        return [.. row["cells"]!.AsArray().Select(c => c!.ToString())];
    }

    /// <summary>Only the priority-0 cells, as a plain <c>kubectl get</c> prints them.</summary>
    public static string[] NarrowCells(string group, string kind, IKubernetesObject<V1ObjectMeta> item)
    {
        var columns = TableConvertor.ColumnsFor(Resource(group, kind));
        var cells = Cells(group, kind, item);
        return [.. cells.Where((_, i) => columns[i].Priority == 0)];
    }

    public static V1ObjectMeta Meta(string name, TimeSpan age, string? ns = "default") => new()
    {
        Name = name,
        NamespaceProperty = ns,
        CreationTimestamp = Ago(age),
        ResourceVersion = "7",
    };
}
