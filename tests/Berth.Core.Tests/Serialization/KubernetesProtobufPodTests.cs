using Berth.Core.Serialization;
using Berth.Core.Serialization.Protobuf;
using k8s;
using k8s.Models;

namespace Berth.Core.Tests.Serialization;

public sealed class KubernetesProtobufPodTests
{
    private static byte[] FullPod() => ProtoWriter.Object("v1", "Pod", pod => pod
        .Message(1, m => KubernetesProtobufTests.Meta(m, "p", "gen"))
        .Message(2, spec => spec
            .Message(1, v => v.String(1, "scratch").Message(2, src => src.Message(2, e => e.String(1, "Memory").Message(2, q => q.String(1, "64Mi")))))
            .Message(1, v => v.String(1, "cfg").Message(2, src => src.Message(19, c => c
                .Message(1, r => r.String(1, "app-config"))
                .Message(2, k => k.String(1, "a").String(2, "a.txt"))
                .Varint(3, 420).Bool(4, true))))
            .Message(1, v => v.String(1, "sec").Message(2, src => src.Message(6, s => s.String(1, "app-secret").Varint(3, 256))))
            .Message(20, c => c.String(1, "init").String(2, "busybox").String(3, "true"))
            .Message(2, Container)
            .String(3, "Never").Varint(4, 0).String(6, "ClusterFirst")
            .Entry(7, "disk", "ssd")
            .String(8, "robot").String(9, "").String(10, "node-1")
            .Bool(11, false).Bool(12, false).Bool(13, false)
            .Empty(14)
            .String(16, "p").String(17, "sub").String(19, "default-scheduler")
            .Message(22, t => t.String(1, "dedicated").String(2, "Equal").String(3, "gpu").String(4, "NoSchedule").Varint(5, 300))
            .Bool(30, false))
        .Empty(3));

    private static void Container(ProtoWriter c) => c
        .String(1, "app").String(2, "busybox:1.36")
        .String(3, "sh").String(3, "-c").String(4, "echo hi")
        .String(5, "/work")
        .Message(6, p => p.String(1, "http").Varint(2, 0).Varint(3, 8080).String(4, "TCP").String(5, ""))
        .Message(7, e => e.String(1, "A").String(2, "1"))
        .Message(7, e => e.String(1, "POD").String(2, "").Message(3, s => s.Message(1, f => f.String(1, "v1").String(2, "metadata.name"))))
        .Message(7, e => e.String(1, "CFG").String(2, "").Message(3, s => s.Message(3, k => k.Message(1, r => r.String(1, "app-config")).String(2, "a").Bool(3, false))))
        .Message(7, e => e.String(1, "PW").String(2, "").Message(3, s => s.Message(4, k => k.Message(1, r => r.String(1, "app-secret")).String(2, "pw"))))
        .Message(19, f => f.String(1, "X_").Message(2, r => r.Message(1, n => n.String(1, "app-config"))))
        .Message(8, r => r
            .Entry(1, "cpu", q => q.String(1, "500m"))
            .Entry(1, "memory", q => q.String(1, "128Mi"))
            .Entry(2, "cpu", q => q.String(1, "100m")))
        .Message(9, m => m.String(1, "cfg").Bool(2, true).String(3, "/etc/cfg").String(4, ""))
        .Message(10, p => p.Message(1, h => h.Message(2, g => g.String(1, "/healthz").Message(2, i => i.Varint(1, 1).Varint(2, 0).String(3, "http")).String(3, "").String(4, "HTTP")
                .Message(5, hh => hh.String(1, "X-Probe").String(2, "1"))))
            .Varint(2, 5).Varint(3, 1).Varint(4, 10).Varint(5, 1).Varint(6, 3))
        .Message(11, p => p.Message(1, h => h.Message(3, t => t.Message(1, i => i.Varint(1, 0).Varint(2, 8080).String(3, "")).String(2, ""))).Varint(2, 0).Varint(3, 0).Varint(4, 0).Varint(5, 0).Varint(6, 0))
        .Message(22, p => p.Message(1, h => h.Message(1, x => x.String(1, "cat").String(1, "/tmp/ready"))).Varint(6, 30).Varint(7, 0))
        .Message(12, l => l
            .Message(1, h => h.Message(1, x => x.String(1, "touch").String(1, "/tmp/started")))
            .Message(2, h => h.Message(2, g => g.String(1, "/stop").Message(2, i => i.Varint(1, 0).Varint(2, 80)))))
        .String(13, "/dev/termination-log").String(20, "File").String(14, "IfNotPresent")
        .Empty(15)
        .Bool(16, true).Bool(17, false).Bool(18, true);

    private const string FullPodJson = """
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": { "name": "p", "namespace": "gen", "creationTimestamp": null },
          "spec": {
            "volumes": [
              { "name": "scratch", "emptyDir": { "medium": "Memory", "sizeLimit": "64Mi" } },
              { "name": "cfg", "configMap": { "name": "app-config", "items": [ { "key": "a", "path": "a.txt" } ], "defaultMode": 420, "optional": true } },
              { "name": "sec", "secret": { "secretName": "app-secret", "defaultMode": 256 } }
            ],
            "initContainers": [ { "name": "init", "image": "busybox", "command": [ "true" ] } ],
            "containers": [
              {
                "name": "app", "image": "busybox:1.36", "command": [ "sh", "-c" ], "args": [ "echo hi" ], "workingDir": "/work",
                "ports": [ { "name": "http", "containerPort": 8080, "protocol": "TCP" } ],
                "envFrom": [ { "prefix": "X_", "configMapRef": { "name": "app-config" } } ],
                "env": [
                  { "name": "A", "value": "1" },
                  { "name": "POD", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.name" } } },
                  { "name": "CFG", "valueFrom": { "configMapKeyRef": { "name": "app-config", "key": "a", "optional": false } } },
                  { "name": "PW", "valueFrom": { "secretKeyRef": { "name": "app-secret", "key": "pw" } } }
                ],
                "resources": { "limits": { "cpu": "500m", "memory": "128Mi" }, "requests": { "cpu": "100m" } },
                "volumeMounts": [ { "name": "cfg", "readOnly": true, "mountPath": "/etc/cfg" } ],
                "livenessProbe": {
                  "httpGet": { "path": "/healthz", "port": "http", "scheme": "HTTP", "httpHeaders": [ { "name": "X-Probe", "value": "1" } ] },
                  "initialDelaySeconds": 5, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3
                },
                "readinessProbe": { "tcpSocket": { "port": 8080 } },
                "startupProbe": { "exec": { "command": [ "cat", "/tmp/ready" ] }, "failureThreshold": 30, "terminationGracePeriodSeconds": 0 },
                "lifecycle": {
                  "postStart": { "exec": { "command": [ "touch", "/tmp/started" ] } },
                  "preStop": { "httpGet": { "path": "/stop", "port": 80 } }
                },
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent",
                "securityContext": {},
                "stdin": true, "tty": true
              }
            ],
            "restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "dnsPolicy": "ClusterFirst",
            "nodeSelector": { "disk": "ssd" },
            "serviceAccountName": "robot", "nodeName": "node-1",
            "securityContext": {},
            "hostname": "p", "subdomain": "sub", "schedulerName": "default-scheduler",
            "tolerations": [ { "key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule", "tolerationSeconds": 300 } ],
            "enableServiceLinks": false
          },
          "status": {}
        }
        """;

    [Fact]
    public void Decode_FullPod_MatchesKubernetesJson()
    {
        var json = KubernetesProtobuf.Decode(FullPod());

        JsonAssert.Equal(FullPodJson, json);
    }

    [Fact]
    public void Decode_FullPod_EveryFieldKnownToTheModel()
    {
        var json = KubernetesProtobuf.Decode(FullPod());

        var unknown = UnknownFieldDetector.Find(json, typeof(V1Pod));
        var pod = KubernetesJson.Deserialize<V1Pod>(json.ToJsonString());

        Assert.Empty(unknown);
        Assert.Equal("500m", pod.Spec.Containers[0].Resources.Limits["cpu"].ToString());
        Assert.Equal("http", pod.Spec.Containers[0].LivenessProbe.HttpGet.Port.Value);
        Assert.Equal(0, pod.Spec.TerminationGracePeriodSeconds);
        Assert.False(pod.Spec.EnableServiceLinks);
    }
}
