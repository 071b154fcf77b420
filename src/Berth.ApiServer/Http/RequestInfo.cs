using Berth.ApiServer.Security;
using Berth.Core.Resources;

namespace Berth.ApiServer.Http;

/// <summary>
/// What a resource URL names: <c>/apis/{group}/{version}/namespaces/{ns}/{resource}/{name}/{subresource}</c>, and who
/// asks (<see cref="User"/>: null for the server's own writes, which skip admission).
/// </summary>
internal sealed record RequestInfo(ResourceInfo Resource, string? Namespace, string? Name, string? Subresource, string? SubPath)
{
    public bool IsCollection => Name is null;

    public UserInfo? User { get; init; }
}
