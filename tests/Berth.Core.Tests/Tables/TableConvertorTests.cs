using Berth.Core.Resources;
using Berth.Core.Tables;
using k8s.Models;

namespace Berth.Core.Tests.Tables;

public sealed class TableConvertorTests
{
    [Fact]
    public void Convert_List_HasTableEnvelopeAndPartialObjectMetadata()
    {
        var configMap = new V1ConfigMap { Metadata = TableAssert.Meta("a", TimeSpan.FromMinutes(1)) };
        configMap.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        configMap.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Apply" }];

        var table = TableConvertor.Convert(TableAssert.Resource("", "ConfigMap"), [configMap], "104", "next", TableAssert.Now);

        Assert.Equal("Table", table["kind"]!.ToString());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.ToString());
        Assert.Equal("{\"resourceVersion\":\"104\",\"continue\":\"next\"}", table["metadata"]!.ToJsonString());
        var obj = table["rows"]![0]!["object"]!;
        Assert.Equal("PartialObjectMetadata", obj["kind"]!.ToString());
        Assert.Equal("meta.k8s.io/v1", obj["apiVersion"]!.ToString());
        Assert.Equal("a", obj["metadata"]!["name"]!.ToString());
        Assert.Equal("default", obj["metadata"]!["namespace"]!.ToString());
        Assert.Equal("web", obj["metadata"]!["labels"]!["app"]!.ToString());
        Assert.Equal("2025-06-01T11:59:00Z", obj["metadata"]!["creationTimestamp"]!.ToString());
        Assert.Null(obj["metadata"]!["managedFields"]);
    }

    [Fact]
    public void Convert_IncludeObjectObject_RowObjectIsTheWholeObjectWithTypeMeta()
    {
        // A model as decoded without apiVersion/kind: the row object gets its resource's, first, as asTable's conversion does.
        var configMap = new V1ConfigMap { Metadata = TableAssert.Meta("a", TimeSpan.FromMinutes(1)), Data = new Dictionary<string, string> { ["k"] = "v" } };

        var table = TableConvertor.Convert(TableAssert.Resource("", "ConfigMap"), [configMap], "104", null, TableAssert.Now, IncludeObjectPolicy.Object);

        var obj = table["rows"]![0]!["object"]!.AsObject();
        Assert.Equal(["apiVersion", "kind"], obj.Select(p => p.Key).Take(2));
        Assert.Equal("v1", obj["apiVersion"]!.ToString());
        Assert.Equal("ConfigMap", obj["kind"]!.ToString());
        Assert.Equal("v", obj["data"]!["k"]!.ToString());
        Assert.Equal("a", obj["metadata"]!["name"]!.ToString());
    }

    [Fact]
    public void Convert_IncludeObjectNone_RowObjectIsNull()
    {
        var configMap = new V1ConfigMap { Metadata = TableAssert.Meta("a", TimeSpan.FromMinutes(1)) };

        var table = TableConvertor.Convert(TableAssert.Resource("", "ConfigMap"), [configMap], "104", null, TableAssert.Now, IncludeObjectPolicy.None);

        Assert.Contains("\"object\":null", table["rows"]![0]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, IncludeObjectPolicy.Metadata)]
    [InlineData("", IncludeObjectPolicy.Metadata)]
    [InlineData("Metadata", IncludeObjectPolicy.Metadata)]
    [InlineData("Object", IncludeObjectPolicy.Object)]
    [InlineData("None", IncludeObjectPolicy.None)]
    public void IncludeObjectPolicies_Parse_KnownValues(string? value, IncludeObjectPolicy expected)
    {
        Assert.Equal(expected, IncludeObjectPolicies.Parse(value));
    }

    [Fact]
    public void IncludeObjectPolicies_Parse_OtherCase_BadRequest()
    {
        var e = Assert.Throws<Berth.Core.Errors.StatusException>(() => IncludeObjectPolicies.Parse("object"));

        Assert.Equal(400, e.Status.Code);
        Assert.Equal("unrecognized includeObject value: \"object\"", e.Status.Message);
    }

    [Fact]
    public void Convert_SingleItemWithoutListVersion_UsesItemResourceVersion()
    {
        var configMap = new V1ConfigMap { Metadata = TableAssert.Meta("a", TimeSpan.FromMinutes(1)) };

        var table = TableConvertor.Convert(TableAssert.Resource("", "ConfigMap"), [configMap], null, null, TableAssert.Now);

        Assert.Equal("{\"resourceVersion\":\"7\"}", table["metadata"]!.ToJsonString());
    }

    [Fact]
    public void Convert_EmptyList_HasColumnsAndNoRows()
    {
        var table = TableConvertor.Convert(TableAssert.Resource("", "Service"), [], "5", null, TableAssert.Now);

        Assert.Empty(table["rows"]!.AsArray());
        Assert.Equal(7, table["columnDefinitions"]!.AsArray().Count);
    }

    [Fact]
    public void Convert_ColumnDefinition_HasAllFields()
    {
        var table = TableConvertor.Convert(TableAssert.Resource("", "Service"), [], "5", null, TableAssert.Now);

        var name = table["columnDefinitions"]![0]!;
        Assert.Equal("Name", name["name"]!.ToString());
        Assert.Equal("string", name["type"]!.ToString());
        Assert.Equal("name", name["format"]!.ToString());
        Assert.StartsWith("Name must be unique within a namespace.", name["description"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, name["priority"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("", "Service", "Name,Type,Cluster-IP,External-IP,Port(s),Age,Selector:1")]
    [InlineData("apps", "Deployment", "Name,Ready,Up-to-date,Available,Age,Containers:1,Images:1,Selector:1")]
    [InlineData("apps", "ReplicaSet", "Name,Desired,Current,Ready,Age,Containers:1,Images:1,Selector:1")]
    [InlineData("", "Endpoints", "Name,Endpoints,Age")]
    [InlineData("discovery.k8s.io", "EndpointSlice", "Name,AddressType,Ports,Endpoints,Age")]
    [InlineData("", "Node", "Name,Status,Roles,Age,Version,Internal-IP:1,External-IP:1,OS-Image:1,Kernel-Version:1,Container-Runtime:1")]
    [InlineData("", "Event", "Last Seen,Type,Reason,Object,Subobject:1,Source:1,Message,First Seen:1,Count:1,Name:1")]
    [InlineData("", "Namespace", "Name,Status,Age")]
    [InlineData("coordination.k8s.io", "Lease", "Name,Holder,Age")]
    [InlineData("", "ConfigMap", "Name,Data,Age")]
    public void ColumnsFor_Kind_MatchesPrinters(string group, string kind, string expected)
    {
        var columns = TableConvertor.ColumnsFor(TableAssert.Resource(group, kind));

        Assert.Equal(expected, string.Join(",", columns.Select(c => c.Priority == 0 ? c.Name : $"{c.Name}:{c.Priority}")));
    }

    [Fact]
    public void Convert_DefaultPrinter_NameAndAge()
    {
        var resource = TableAssert.Resource("", "ConfigMap") with { ModelType = typeof(V1Secret), Kind = "Secret", Printer = DefaultTablePrinter.Instance };
        var secret = new V1Secret { Metadata = TableAssert.Meta("token", TimeSpan.FromMinutes(4)) };

        var table = TableConvertor.Convert(resource, [secret], "1", null, TableAssert.Now);

        Assert.Equal(["Name", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
        Assert.Equal("[\"token\",\"4m\"]", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Convert_WrongItemType_Throws()
    {
        var resource = TableAssert.Resource("", "Pod");

        Assert.Throws<ArgumentException>(() => TableConvertor.Convert(resource, [new V1ConfigMap { Metadata = new V1ObjectMeta() }], null, null, TableAssert.Now));
    }

    [Fact]
    public void ResourceRegistry_EveryServedKind_HasAPrinter()
    {
        foreach (var resource in ResourceRegistry.Default.All)
        {
            var columns = TableConvertor.ColumnsFor(resource).Select(c => c.Name);

            Assert.NotEqual(["Name", "Age"], columns);
        }
    }
}
