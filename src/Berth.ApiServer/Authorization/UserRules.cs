using k8s.Models;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// The rules that apply to a user in one namespace: <see cref="Incomplete"/> when an authorizer cannot list its
/// rules (the Node authorizer) and <see cref="Errors"/> for bindings whose role is missing.
/// </summary>
internal sealed record UserRules(IReadOnlyList<V1PolicyRule> Rules, bool Incomplete, IReadOnlyList<string> Errors)
{
    public static UserRules Empty { get; } = new([], false, []);

    public UserRules Union(UserRules other) =>
        new([.. Rules, .. other.Rules], Incomplete || other.Incomplete, [.. Errors, .. other.Errors]);
}
