using Berth.Core.Serialization.Protobuf;

namespace Berth.Core.Tests.Serialization;

public sealed class KubernetesProtobufTests
{
    /// <summary>ObjectMeta as gogo-protobuf writes it: every string and int present, the zero creationTimestamp empty.</summary>
    internal static void Meta(ProtoWriter m, string name, string ns = "") => m
        .String(1, name).String(2, "").String(3, ns).String(4, "").String(5, "").String(6, "")
        .Varint(7, 0).Empty(8);

    [Fact]
    public void Decode_ConfigMap_DataBinaryDataAndImmutable()
    {
        var body = ProtoWriter.Object("v1", "ConfigMap", cm => cm
            .Message(1, m => Meta(m, "cm", "gen"))
            .Entry(2, "a", "b")
            .Entry(2, "c", "")
            .Entry(3, "bin", [0, 1, 2, 255])
            .Bool(4, false));

        var json = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal("""
            {
              "apiVersion": "v1", "kind": "ConfigMap",
              "metadata": { "name": "cm", "namespace": "gen", "creationTimestamp": null },
              "data": { "a": "b", "c": "" },
              "binaryData": { "bin": "AAEC/w==" },
              "immutable": false
            }
            """, json);
    }

    [Fact]
    public void Decode_ObjectMetaAllFields_Converted()
    {
        var body = ProtoWriter.Object("v1", "Namespace", ns => ns
            .Message(1, m => m
                .String(1, "n").String(2, "n-").String(5, "uid-1").String(6, "42").Varint(7, 3)
                .Message(8, t => t.Varint(1, 1_700_000_000).Varint(2, 999))
                .Message(9, t => t.Varint(1, 1_700_000_060))
                .Varint(10, 0)
                .Entry(11, "app", "web").Entry(11, "tier", "front")
                .Entry(12, "note", "x")
                .Message(13, o => o.String(1, "Deployment").String(3, "web").String(4, "u2").String(5, "apps/v1").Bool(6, true).Bool(7, false))
                .String(14, "a/b").String(14, "c/d")
                .Message(17, f => f.String(1, "kubectl")))
            .Message(2, s => s.String(1, "kubernetes"))
            .Message(3, s => s.String(1, "Active")));

        var json = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal("""
            {
              "apiVersion": "v1", "kind": "Namespace",
              "metadata": {
                "name": "n", "generateName": "n-", "uid": "uid-1", "resourceVersion": "42", "generation": 3,
                "creationTimestamp": "2023-11-14T22:13:20Z", "deletionTimestamp": "2023-11-14T22:14:20Z",
                "deletionGracePeriodSeconds": 0,
                "labels": { "app": "web", "tier": "front" },
                "annotations": { "note": "x" },
                "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "u2", "controller": true, "blockOwnerDeletion": false } ],
                "finalizers": [ "a/b", "c/d" ]
              },
              "spec": { "finalizers": [ "kubernetes" ] },
              "status": { "phase": "Active" }
            }
            """, json);
    }

    [Fact]
    public void Decode_ServiceAllSpecFields_Converted()
    {
        var body = ProtoWriter.Object("v1", "Service", svc => svc
            .Message(1, m => Meta(m, "s"))
            .Message(2, s => s
                .Message(1, p => p.String(1, "http").String(2, "TCP").String(6, "http").Varint(3, 80)
                    .Message(4, t => t.Varint(1, 1).Varint(2, 0).String(3, "web")).Varint(5, 30080))
                .Message(1, p => p.String(1, "").String(2, "UDP").Varint(3, 53)
                    .Message(4, t => t.Varint(1, 0).Varint(2, 5353).String(3, "")).Varint(5, 0))
                .Entry(2, "app", "web")
                .String(3, "10.0.0.10").String(18, "10.0.0.10").String(4, "LoadBalancer")
                .String(5, "1.2.3.4").String(7, "ClientIP").String(8, "").String(9, "10.0.0.0/8")
                .String(10, "").String(11, "Local").Varint(12, 31000).Bool(13, true)
                .Message(14, c => c.Message(1, ip => ip.Varint(1, 600)))
                .String(19, "IPv4").String(17, "SingleStack").Bool(20, false).String(21, "example.com/lb")
                .String(22, "Cluster").String(23, "PreferClose"))
            .Message(3, s => s.Message(1, lb => lb.Message(1, i => i.String(1, "1.2.3.4").String(2, "").String(3, "VIP")))));

        var json = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal("""
            {
              "apiVersion": "v1", "kind": "Service",
              "metadata": { "name": "s", "creationTimestamp": null },
              "spec": {
                "ports": [
                  { "name": "http", "protocol": "TCP", "appProtocol": "http", "port": 80, "targetPort": "web", "nodePort": 30080 },
                  { "protocol": "UDP", "port": 53, "targetPort": 5353 }
                ],
                "selector": { "app": "web" },
                "clusterIP": "10.0.0.10", "clusterIPs": [ "10.0.0.10" ], "type": "LoadBalancer",
                "externalIPs": [ "1.2.3.4" ], "sessionAffinity": "ClientIP", "loadBalancerSourceRanges": [ "10.0.0.0/8" ],
                "externalTrafficPolicy": "Local", "healthCheckNodePort": 31000, "publishNotReadyAddresses": true,
                "sessionAffinityConfig": { "clientIP": { "timeoutSeconds": 600 } },
                "ipFamilies": [ "IPv4" ], "ipFamilyPolicy": "SingleStack", "allocateLoadBalancerNodePorts": false,
                "loadBalancerClass": "example.com/lb", "internalTrafficPolicy": "Cluster", "trafficDistribution": "PreferClose"
              },
              "status": { "loadBalancer": { "ingress": [ { "ip": "1.2.3.4", "ipMode": "VIP" } ] } }
            }
            """, json);
    }

    [Fact]
    public void Decode_DeploymentWithStrategyAndMatchExpressions_Converted()
    {
        var body = ProtoWriter.Object("apps/v1", "Deployment", d => d
            .Message(1, m => Meta(m, "web", "gen"))
            .Message(2, s => s
                .Varint(1, 0)
                .Message(2, sel => sel
                    .Entry(1, "app", "web")
                    .Message(2, e => e.String(1, "tier").String(2, "In").String(3, "a").String(3, "b")))
                .Message(3, t => t.Message(1, m => Meta(m, "")).Message(2, p => p.Message(2, c => c.String(1, "nginx").String(2, "nginx"))))
                .Message(4, st => st.String(1, "RollingUpdate").Message(2, r => r
                    .Message(1, u => u.Varint(1, 0).Varint(2, 1).String(3, ""))
                    .Message(2, u => u.Varint(1, 1).Varint(2, 0).String(3, "25%"))))
                .Varint(5, 0).Varint(6, 10).Bool(7, false).Varint(9, 600))
            .Message(3, s => s.Varint(1, 0).Varint(2, 0).Varint(3, 0).Varint(7, 0).Varint(4, 0).Varint(5, 0)));

        var json = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal("""
            {
              "apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": { "name": "web", "namespace": "gen", "creationTimestamp": null },
              "spec": {
                "replicas": 0,
                "selector": { "matchLabels": { "app": "web" }, "matchExpressions": [ { "key": "tier", "operator": "In", "values": [ "a", "b" ] } ] },
                "template": { "metadata": { "creationTimestamp": null }, "spec": { "containers": [ { "name": "nginx", "image": "nginx" } ] } },
                "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": 1, "maxSurge": "25%" } },
                "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600
              },
              "status": {}
            }
            """, json);
    }

    [Fact]
    public void Decode_ReplicaSet_Converted()
    {
        var body = ProtoWriter.Object("apps/v1", "ReplicaSet", rs => rs
            .Message(1, m => Meta(m, "web-1"))
            .Message(2, s => s.Varint(1, 3).Varint(4, 5).Message(2, sel => sel.Entry(1, "app", "web")))
            .Message(3, s => s.Varint(1, 3).Varint(4, 2).Varint(3, 7)));

        var json = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal("""
            {
              "apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": { "name": "web-1", "creationTimestamp": null },
              "spec": { "replicas": 3, "minReadySeconds": 5, "selector": { "matchLabels": { "app": "web" } } },
              "status": { "replicas": 3, "readyReplicas": 2, "observedGeneration": 7 }
            }
            """, json);
    }

    [Fact]
    public void Decode_LeaseMicroTime_Microseconds()
    {
        var body = ProtoWriter.Object("coordination.k8s.io/v1", "Lease", l => l
            .Message(1, m => Meta(m, "node-1", "kube-node-lease"))
            .Message(2, s => s.String(1, "node-1").Varint(2, 40)
                .Message(3, t => t.Varint(1, 1_700_000_000).Varint(2, 123_456_789))
                .Message(4, t => t.Varint(1, 1_700_000_001))
                .Varint(5, 0)));

        var json = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal("""
            {
              "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
              "metadata": { "name": "node-1", "namespace": "kube-node-lease", "creationTimestamp": null },
              "spec": {
                "holderIdentity": "node-1", "leaseDurationSeconds": 40,
                "acquireTime": "2023-11-14T22:13:20.123456Z", "renewTime": "2023-11-14T22:13:21.000000Z",
                "leaseTransitions": 0
              }
            }
            """, json);
    }

    [Fact]
    public void Decode_Secret_DataBase64StringDataAndType()
    {
        // Secret is not served yet: its message is in the table, its root is given here as its registration will.
        var decoder = new ProtobufDecoder(KubernetesSchema.Build([("v1", "Secret", "Secret")]));
        var body = ProtoWriter.Object("v1", "Secret", s => s
            .Message(1, m => Meta(m, "s"))
            .Entry(2, "password", "hunter2"u8.ToArray())
            .Entry(4, "user", "admin")
            .String(3, "Opaque"));

        var json = decoder.DecodeObject(body);

        JsonAssert.Equal("""
            {
              "apiVersion": "v1", "kind": "Secret",
              "metadata": { "name": "s", "creationTimestamp": null },
              "data": { "password": "aHVudGVyMg==" }, "stringData": { "user": "admin" }, "type": "Opaque"
            }
            """, json);
    }

    [Fact]
    public void Decode_UnknownFieldsOfEveryWireType_Skipped()
    {
        var body = ProtoWriter.Object("v1", "ConfigMap", cm => cm
            .Varint(90, 7)
            .Fixed64(91, ulong.MaxValue)
            .Message(1, m => m.String(1, "cm").Fixed32(99, 5).String(98, "future"))
            .Fixed32(92, 1)
            .String(93, "later")
            .Entry(2, "a", "b"));

        var json = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal("""{ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "cm" }, "data": { "a": "b" } }""", json);
    }

    [Fact]
    public void Decode_RepeatedInt64PackedOrNot_BothRead()
    {
        var body = ProtoWriter.Object("v1", "Pod", p => p
            .Message(2, s => s.Message(14, sc => sc.Varint(4, 1000).Packed(4, 2000, 3000))));

        var json = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal("""
            { "apiVersion": "v1", "kind": "Pod", "spec": { "securityContext": { "supplementalGroups": [ 1000, 2000, 3000 ] } } }
            """, json);
    }

    [Fact]
    public void Decode_NegativeInt32_SignExtendedVarint()
    {
        var body = ProtoWriter.Object("apps/v1", "Deployment", d => d.Message(2, s => s.Varint(1, -1)));

        var json = KubernetesProtobuf.Decode(body);

        Assert.Equal(-1, json["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Decode_NoMagic_Throws()
    {
        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.Decode("{\"kind\":\"Pod\"}"u8));

        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_KindWithoutSchema_ThrowsNamingTheKind()
    {
        var body = ProtoWriter.Object("storage.k8s.io/v1", "StorageClass", _ => { });

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal("no protobuf decoding is known for storage.k8s.io/v1, Kind=StorageClass; send it as JSON or YAML", e.Message);
    }

    [Fact]
    public void Decode_NoKind_Throws()
    {
        byte[] body = [.. "k8s\0"u8, .. new ProtoWriter().Message(2, _ => { }).ToArray()];

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal("the protobuf envelope names no kind", e.Message);
    }

    [Fact]
    public void Decode_ContentEncoding_Throws()
    {
        var body = ProtoWriter.Object("v1", "ConfigMap", _ => { }, contentEncoding: "gzip");

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.Decode(body));

        Assert.Contains("gzip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Truncated_Throws()
    {
        var body = ProtoWriter.Object("v1", "ConfigMap", cm => cm.Message(1, m => m.String(1, "a-long-name")));

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.Decode(body.AsSpan(0, body.Length - 3)));

        Assert.StartsWith("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WrongWireType_ThrowsNamingTheField()
    {
        var body = ProtoWriter.Object("v1", "ConfigMap", cm => cm.Message(1, m => m.Varint(1, 5)));

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal("field 1 (name) of ObjectMeta has wire type Varint, expected LengthDelimited", e.Message);
    }

    [Fact]
    public void Decode_InvalidUtf8_Throws()
    {
        var body = ProtoWriter.Object("v1", "ConfigMap", cm => cm.Message(1, m => m.Bytes(1, [0xC3, 0x28])));

        var e = Assert.Throws<ProtobufDecodeException>(() => KubernetesProtobuf.Decode(body));

        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_KubernetesTable_CoversGeneratorKinds()
    {
        var kinds = KubernetesSchema.Instance.Kinds.Select(k => $"{k.ApiVersion}/{k.Kind}").Order();

        Assert.Equal(
            [
                "apps/v1/Deployment", "apps/v1/ReplicaSet",
                "authentication.k8s.io/v1/SelfSubjectReview", "authentication.k8s.io/v1/TokenRequest",
                "authorization.k8s.io/v1/LocalSubjectAccessReview", "authorization.k8s.io/v1/SelfSubjectAccessReview",
                "authorization.k8s.io/v1/SelfSubjectRulesReview", "authorization.k8s.io/v1/SubjectAccessReview",
                "autoscaling/v1/HorizontalPodAutoscaler",
                "batch/v1/CronJob", "batch/v1/Job", "coordination.k8s.io/v1/Lease",
                "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
                "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding",
                "v1/ConfigMap", "v1/Namespace", "v1/Pod", "v1/Secret", "v1/Service", "v1/ServiceAccount",
            ],
            kinds);
    }
}
