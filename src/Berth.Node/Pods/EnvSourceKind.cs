namespace Berth.Node.Pods;

/// <summary>Where an <c>env</c> / <c>envFrom</c> value comes from; the name is the kind as the kubelet's messages spell it.</summary>
internal enum EnvSourceKind
{
    ConfigMap,
    Secret,
}
