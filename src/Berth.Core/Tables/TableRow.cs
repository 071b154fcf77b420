using System.Text.Json.Nodes;

namespace Berth.Core.Tables;

/// <summary>
/// The cells a printer computed for one object (strings and integers, in column order), and the row
/// <c>conditions</c> Kubernetes adds for finished Pods.
/// </summary>
internal sealed record TableRow(IReadOnlyList<object> Cells, JsonArray? Conditions = null);
