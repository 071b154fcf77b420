namespace Berth.Core.Tables;

/// <summary>
/// What each Table row's <c>object</c> carries: <c>metav1.IncludeObjectPolicy</c>, the <c>includeObject</c> query
/// parameter (apiserver handlers/response.go <c>asTable</c>). kubectl asks for <see cref="Object"/> when it sorts
/// (<c>--sort-by</c> evaluates its JSONPath on the row objects) and otherwise takes the default, <see cref="Metadata"/>.
/// </summary>
public enum IncludeObjectPolicy
{
    /// <summary><c>Metadata</c> (and an absent or empty value): a <c>PartialObjectMetadata</c>.</summary>
    Metadata,

    /// <summary><c>Object</c>: the whole object, with its <c>apiVersion</c> and <c>kind</c>.</summary>
    Object,

    /// <summary><c>None</c>: <c>"object": null</c>.</summary>
    None,
}
