using k8s.Models;

namespace Berth.Controllers.ServiceAccounts;

/// <summary>The serviceaccounts controller's object: the <c>default</c> ServiceAccount, created when missing and never changed afterwards.</summary>
public sealed class DefaultServiceAccount : INamespaceObject<V1ServiceAccount>
{
    public string Name => "default";

    public V1ServiceAccount Desired(string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns },
    };

    public V1ServiceAccount? Repair(V1ServiceAccount existing) => null;
}
