using Berth.Core.Resources;
using Berth.Core.Serialization;
using Berth.Core.Tests.Patching;
using k8s.Models;

namespace Berth.Core.Tests.Serialization;

public sealed class ZeroValuesTests
{
    [Fact]
    public void Fill_NullListItemsAndMapValues_GoZeroValues()
    {
        var body = Json.Parse("""
            {"metadata":{"name":"s","labels":{"a":null},"finalizers":[null],"ownerReferences":[null]},
             "ports":[null,{"name":null,"port":80}],"endpoints":[{"addresses":[null],"conditions":null}]}
            """).AsObject();

        ZeroValues.Fill(body, typeof(V1EndpointSlice));

        Json.Equal("""
            {"metadata":{"name":"s","labels":{"a":""},"finalizers":[""],"ownerReferences":[{}]},
             "ports":[{},{"name":null,"port":80}],"endpoints":[{"addresses":[""],"conditions":null}]}
            """, body);
    }

    [Fact]
    public void DecodeBody_NullPort_DefaultedNotNull()
    {
        var slices = ResourceRegistry.Default.Find("discovery.k8s.io", "endpointslices")!;
        var body = Json.Parse("""{"metadata":{"name":"s"},"addressType":"IPv4","endpoints":[],"ports":[null]}""").AsObject();

        var slice = (V1EndpointSlice)slices.DecodeBody(body);
        slices.Strategy.Default(slice);

        Assert.Equal("TCP", Assert.Single(slice.Ports).Protocol);
    }
}
