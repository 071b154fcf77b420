using Berth.Core.Patching;
using k8s.Models;

namespace Berth.Core.Tests.Patching;

/// <summary>The patches of docs/kubectl-wire.md section 6, as kubectl 1.32 sent them.</summary>
public sealed class StrategicMergePatchWireTests
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"default","finalizers":["example.com/keep","example.com/drop"],
                     "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"v1"},"labels":{"app":"web"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                 "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Always","containers":[
                   {"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80,"protocol":"TCP"}],
                    "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
                   {"name":"sidecar","image":"busybox:1.36","command":["sleep","3600"]}]}}}}
        """;

    [Fact]
    public void Apply_DeploymentApply2_UpdatesReplicasLabelImageAndEnv()
    {
        var patch = Json.Parse("""
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"v2"},"labels":{"tier":"frontend"}},
             "spec":{"replicas":3,"template":{"spec":{
               "$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],
               "containers":[{"$setElementOrder/env":[{"name":"A"}],
                              "env":[{"name":"A","value":"10"},{"$patch":"delete","name":"B"}],
                              "image":"nginx:1.28","name":"nginx"}]}}}}
            """);

        var result = StrategicMergePatch.Apply(Json.Parse(Deployment), patch, typeof(V1Deployment));

        Json.Equal("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","finalizers":["example.com/keep","example.com/drop"],
                         "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"v2"},"labels":{"app":"web","tier":"frontend"}},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Always","containers":[
                       {"name":"nginx","image":"nginx:1.28","ports":[{"containerPort":80,"protocol":"TCP"}],
                        "env":[{"name":"A","value":"10"}]},
                       {"name":"sidecar","image":"busybox:1.36","command":["sleep","3600"]}]}}}}
            """, result);
    }

    [Fact]
    public void Apply_ServiceApply2_MergesPortsByPortAndDeletesRemovedPort()
    {
        var original = Json.Parse("""
            {"apiVersion":"v1","kind":"Service",
             "metadata":{"name":"web","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"v1"}},
             "spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","selector":{"app":"web"},
                     "ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8080},
                              {"name":"metrics","port":9090,"protocol":"TCP","targetPort":9090}]}}
            """);
        var patch = Json.Parse("""
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"v2","note":"changed"}},
             "spec":{"$setElementOrder/ports":[{"port":80}],
                     "ports":[{"port":80,"targetPort":8081},{"$patch":"delete","port":9090}],
                     "selector":{"tier":"frontend"}}}
            """);

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Service));

        Json.Equal("""
            {"apiVersion":"v1","kind":"Service",
             "metadata":{"name":"web","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"v2","note":"changed"}},
             "spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","selector":{"app":"web","tier":"frontend"},
                     "ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8081}]}}
            """, result);
    }

    [Fact]
    public void Apply_RemovalsApply3_DeletesLabelReplicasPortsAndSidecar()
    {
        var patch = Json.Parse("""
            {"metadata":{"labels":{"tier":null}},
             "spec":{"replicas":null,"template":{"spec":{
               "$setElementOrder/containers":[{"name":"nginx"}],
               "containers":[{"name":"nginx","ports":null},{"$patch":"delete","name":"sidecar"}]}}}}
            """);
        var original = StrategicMergePatch.Apply(Json.Parse(Deployment), Json.Parse("""{"metadata":{"labels":{"tier":"frontend"}}}"""), typeof(V1Deployment));

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Deployment));

        Json.Equal("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","finalizers":["example.com/keep","example.com/drop"],
                         "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"v1"},"labels":{"app":"web"}},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Always","containers":[
                       {"name":"nginx","image":"nginx:1.27","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}}}
            """, result);
    }

    [Fact]
    public void Apply_StrategyTypeChangeAndFinalizerDropped_RetainsKeysAndDeletesFinalizer()
    {
        var patch = Json.Parse("""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/drop"],"$setElementOrder/finalizers":["example.com/keep"]},
             "spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}
            """);

        var result = StrategicMergePatch.Apply(Json.Parse(Deployment), patch, typeof(V1Deployment));

        Assert.Equal("""["example.com/keep"]""", result["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]!.ToJsonString());
        Assert.Equal(2, (int)result["spec"]!["replicas"]!);
    }

    [Fact]
    public void Apply_Always_LeavesInputsUnchanged()
    {
        var original = Json.Parse(Deployment);
        var patch = Json.Parse("""{"spec":{"template":{"spec":{"containers":[{"$patch":"delete","name":"sidecar"}]}}}}""");
        var patchText = patch.ToJsonString();

        StrategicMergePatch.Apply(original, patch, typeof(V1Deployment));

        Json.Equal(Deployment, original);
        Assert.Equal(patchText, patch.ToJsonString());
    }
}
