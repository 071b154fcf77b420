namespace Berth.ApiServer.Rest;

/// <summary>Which part of an object a write may change.</summary>
internal enum UpdateKind
{
    /// <summary>The main resource: spec and metadata; status is kept.</summary>
    Main,

    /// <summary>The status subresource: status only.</summary>
    Status,

    /// <summary>A write of the server itself (binding): no update strategy, the caller has made the change.</summary>
    System,
}
