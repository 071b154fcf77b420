namespace Berth.ApiServer.Authorization;

/// <summary>The kinds of object a pod references by name that the Node authorizer guards.</summary>
internal enum PodReference
{
    Secret,
    ConfigMap,
    ServiceAccount,
}
