using System.Text.Json.Nodes;

namespace Berth.Core.Resources;

/// <summary>
/// Converts one kind between the version a registration serves and the version its objects are stored in (Kubernetes'
/// conversion functions, on JSON). Both directions get a private copy they may change and return.
/// </summary>
public interface IVersionConverter
{
    /// <summary>The served version's object as the stored version holds it (with the stored version's defaults).</summary>
    JsonObject ToStorage(JsonObject served);

    /// <summary>The stored object as the served version shows it.</summary>
    JsonObject FromStorage(JsonObject stored);
}
