using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;

namespace Berth.ApiServer.Tests.Validation;

/// <summary>
/// Every rule of the Service error catalogue (kubernetes-services.md §2.2), through the real API: a 422 Invalid
/// Status whose cause names the field and carries Kubernetes' message, and nothing stored.
/// </summary>
public sealed class ServiceValidationTests : IClassFixture<BerthServer>
{
    private const string Ports = "\"ports\":[{\"port\":80}]";
    private const string Dns1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private readonly BerthServer _server;

    public ServiceValidationTests(BerthServer server)
    {
        _server = server;
    }

    public static TheoryData<string, string, string, string> Catalogue => new()
    {
        { "My_Svc", "{" + Ports + "}", "metadata.name", "Invalid value: \"My_Svc\": " + Dns1035 },
        { "1abc", "{" + Ports + "}", "metadata.name", "Invalid value: \"1abc\": " + Dns1035 },
        { "noports", "{}", "spec.ports", "Required value" },
        { "unnamed", "{\"ports\":[{\"name\":\"a\",\"port\":80},{\"port\":81}]}", "spec.ports[1].name", "Required value" },
        { "badportname", "{\"ports\":[{\"name\":\"Http\",\"port\":80}]}", "spec.ports[0].name", "Invalid value: \"Http\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "dupname", "{\"ports\":[{\"name\":\"http\",\"port\":80},{\"name\":\"http\",\"port\":81}]}", "spec.ports[1].name", "Duplicate value: \"http\"" },
        { "dupport", "{\"ports\":[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":80}]}", "spec.ports[1]", "Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}" },
        { "port0", "{\"ports\":[{\"port\":0}]}", "spec.ports[0].port", "Invalid value: 0: must be between 1 and 65535, inclusive" },
        { "port70000", "{\"ports\":[{\"port\":70000}]}", "spec.ports[0].port", "Invalid value: 70000: must be between 1 and 65535, inclusive" },
        { "badtarget", "{\"ports\":[{\"port\":80,\"targetPort\":\"http_web\"}]}", "spec.ports[0].targetPort", "Invalid value: \"http_web\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)" },
        { "longtarget", "{\"ports\":[{\"port\":80,\"targetPort\":\"abcdefghijklmnop\"}]}", "spec.ports[0].targetPort", "Invalid value: \"abcdefghijklmnop\": must be no more than 15 characters" },
        { "edgetarget", "{\"ports\":[{\"port\":80,\"targetPort\":\"-web\"}]}", "spec.ports[0].targetPort", "Invalid value: \"-web\": must not begin or end with a hyphen" },
        { "hyphentarget", "{\"ports\":[{\"port\":80,\"targetPort\":\"a--b\"}]}", "spec.ports[0].targetPort", "Invalid value: \"a--b\": must not contain consecutive hyphens" },
        { "bigtarget", "{\"ports\":[{\"port\":80,\"targetPort\":70000}]}", "spec.ports[0].targetPort", "Invalid value: 70000: must be between 1 and 65535, inclusive" },
        { "badproto", "{\"ports\":[{\"port\":80,\"protocol\":\"ICMP\"}]}", "spec.ports[0].protocol", "Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"" },
        { "npclusterip", "{\"ports\":[{\"port\":80,\"nodePort\":30001}]}", "spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'" },
        { "badip", "{\"clusterIP\":\"10.0.0.300\"," + Ports + "}", "spec.clusterIPs[0]", "Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" },
        { "ipmismatch", "{\"clusterIP\":\"127.96.0.30\",\"clusterIPs\":[\"127.96.0.31\"]," + Ports + "}", "spec.clusterIPs", "Invalid value: []string{\"127.96.0.31\"}: first value must match `clusterIP`" },
        { "headlessnp", "{\"type\":\"NodePort\",\"clusterIP\":\"None\"," + Ports + "}", "spec.clusterIPs[0]", "Invalid value: \"None\": may not be set to 'None' for NodePort services" },
        { "headlesslb", "{\"type\":\"LoadBalancer\",\"clusterIP\":\"None\"," + Ports + "}", "spec.clusterIPs[0]", "Invalid value: \"None\": may not be set to 'None' for LoadBalancer services" },
        { "extnoname", "{\"type\":\"ExternalName\"}", "spec.externalName", "Required value" },
        { "extbadname", "{\"type\":\"ExternalName\",\"externalName\":\"a_b\"}", "spec.externalName", "Invalid value: \"a_b\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
        { "extwithip", "{\"type\":\"ExternalName\",\"externalName\":\"example.com\",\"clusterIP\":\"127.96.0.40\"}", "spec.clusterIPs", "Forbidden: may not be set for ExternalName services" },
        { "badtype", "{\"type\":\"Foo\"," + Ports + "}", "spec.type", "Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"" },
        { "badaffinity", "{\"sessionAffinity\":\"Sticky\"," + Ports + "}", "spec.sessionAffinity", "Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"" },
        { "badtimeout", "{\"sessionAffinity\":\"ClientIP\",\"sessionAffinityConfig\":{\"clientIP\":{\"timeoutSeconds\":0}}," + Ports + "}", "spec.sessionAffinityConfig.clientIP.timeoutSeconds", "Invalid value: 0: must be greater than 0 and less than 86400" },
        { "etpinternal", "{\"externalTrafficPolicy\":\"Local\"," + Ports + "}", "spec.externalTrafficPolicy", "Invalid value: \"Local\": may only be set for externally-accessible services" },
        { "hcnp", "{\"healthCheckNodePort\":30001," + Ports + "}", "spec.healthCheckNodePort", "Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'" },
        { "lbranges", "{\"loadBalancerSourceRanges\":[\"10.0.0.0/8\"]," + Ports + "}", "spec.LoadBalancerSourceRanges", "Forbidden: may only be used when `type` is 'LoadBalancer'" },
        { "lballoc", "{\"allocateLoadBalancerNodePorts\":true," + Ports + "}", "spec.allocateLoadBalancerNodePorts", "Forbidden: may only be used when `type` is 'LoadBalancer'" },
        { "lbclass", "{\"loadBalancerClass\":\"example.com/lb\"," + Ports + "}", "spec.loadBalancerClass", "Forbidden: may only be used when `type` is 'LoadBalancer'" },
        { "extipunspec", "{\"externalIPs\":[\"0.0.0.0\"]," + Ports + "}", "spec.externalIPs[0]", "Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)" },
        { "extiploop", "{\"externalIPs\":[\"127.0.0.1\"]," + Ports + "}", "spec.externalIPs[0]", "Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)" },
        { "dualstack", "{\"ipFamilyPolicy\":\"RequireDualStack\"," + Ports + "}", "spec.ipFamilyPolicy", "Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services" },
        { "badselector", "{\"selector\":{\"-app\":\"x\"}," + Ports + "}", "spec.selector", "Invalid value: \"-app\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" },
    };

    [Theory]
    [MemberData(nameof(Catalogue))]
    public async Task Create_CatalogueMistake_InvalidWithFieldCause(string name, string spec, string field, string message)
    {
        using var http = _server.CreateHttpClient();
        using var content = new StringContent($"{{\"metadata\":{{\"name\":\"{name}\"}},\"spec\":{spec}}}", Encoding.UTF8, "application/json");

        using var response = await http.PostAsync("/api/v1/namespaces/default/services", content);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var causes = status["details"]!["causes"]!.AsArray().Select(c => (c!["field"]?.GetValue<string>(), c["message"]!.GetValue<string>())).ToList();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Contains((field, message), causes);
        using var get = await http.GetAsync($"/api/v1/namespaces/default/services/{name}");
        Assert.True(get.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest || name.Any(char.IsUpper), $"{name} was stored");
    }
}
