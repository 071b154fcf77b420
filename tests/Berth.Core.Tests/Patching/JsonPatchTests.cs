using Berth.Core.Patching;

namespace Berth.Core.Tests.Patching;

public sealed class JsonPatchTests
{
    // RFC 6902 appendix A (A.1 to A.16, except A.13 whose duplicate "op" member a JSON parser never shows us).
    [Theory]
    [InlineData("A.1", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("A.2", """{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("A.3", """{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("A.4", """{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("A.5", """{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("A.6", """{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("A.7", """{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("A.8", """{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("A.10", """{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("A.11", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("A.14", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("A.16", """{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    [InlineData("copy", """{"a":{"b":[1]}}""", """[{"op":"copy","from":"/a","path":"/c"},{"op":"add","path":"/c/b/0","value":0}]""", """{"a":{"b":[1]},"c":{"b":[0,1]}}""")]
    [InlineData("escape", """{"metadata":{"labels":{}}}""", """[{"op":"add","path":"/metadata/labels/app.kubernetes.io~1name","value":"web"}]""", """{"metadata":{"labels":{"app.kubernetes.io/name":"web"}}}""")]
    [InlineData("root", """{"a":1}""", """[{"op":"replace","path":"","value":{"b":2}}]""", """{"b":2}""")]
    [InlineData("null value", """{"a":1}""", """[{"op":"add","path":"/b","value":null}]""", """{"a":1,"b":null}""")]
    public void Apply_Rfc6902Examples_GiveExpectedResult(string name, string original, string patch, string expected)
    {
        var result = JsonPatch.Apply(Json.Parse(original), Json.Parse(patch));

        Assert.NotNull(name);
        Json.Equal(expected, result);
    }

    [Theory]
    [InlineData("A.9", """{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", "testing value /baz failed: test failed")]
    [InlineData("A.12", """{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", "jsonpatch add operation does not apply: doc is missing path: \"/baz/bat\"")]
    [InlineData("A.15", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""", "testing value /~01 failed: test failed")]
    [InlineData("remove", """{"metadata":{"labels":{}}}""", """[{"op":"remove","path":"/metadata/labels/x"}]""", "error in remove for path: '/metadata/labels/x': Unable to remove nonexistent key: x: missing value")]
    [InlineData("replace, no parent", """{"a":{}}""", """[{"op":"replace","path":"/a/b/c","value":1}]""", "replace operation does not apply: doc is missing path: /a/b/c: missing value")]
    [InlineData("replace, parent a value", """{"a":1}""", """[{"op":"replace","path":"/a/b","value":1}]""", "replace operation does not apply: doc is missing path: /a/b: missing value")]
    [InlineData("replace, index out of range", """{"a":[1]}""", """[{"op":"replace","path":"/a/1","value":2}]""", "replace operation does not apply: doc is missing key: /a/1: missing value")]
    [InlineData("replace, array end", """{"a":[1]}""", """[{"op":"replace","path":"/a/-","value":2}]""", "replace operation does not apply: doc is missing key: /a/-: missing value")]
    [InlineData("index", """{"a":[1]}""", """[{"op":"add","path":"/a/2","value":1}]""", "jsonpatch add operation does not apply: index out of range: \"/a/2\"")]
    [InlineData("leading zero", """{"a":[1,2]}""", """[{"op":"remove","path":"/a/01"}]""", "jsonpatch remove operation does not apply: doc is missing path: \"/a/01\"")]
    public void Apply_OperationDoesNotApply_ThrowsInvalid(string name, string original, string patch, string message)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse(original), Json.Parse(patch)));

        Assert.NotNull(name);
        Assert.Equal(message, error.Message);
        Assert.Equal(PatchErrorKind.Invalid, error.Kind);
        Assert.Equal(422, error.Code);
    }

    // gopkg.in/evanphx/json-patch.v4 (Kubernetes' engine): replace looks the member up with partialDoc.get, which never
    // fails, so an absent member is added, as an RFC "add" would.
    [Theory]
    [InlineData("""{"spec":{"podCIDR":"127.244.1.0/24"}}""", """[{"op":"replace","path":"/spec/unschedulable","value":true}]""", """{"spec":{"podCIDR":"127.244.1.0/24","unschedulable":true}}""")]
    [InlineData("""{"spec":{}}""", """[{"op":"replace","path":"/spec/taints","value":[]}]""", """{"spec":{"taints":[]}}""")]
    [InlineData("""{"metadata":{"labels":{}}}""", """[{"op":"replace","path":"/metadata/labels/a~1b","value":"c"}]""", """{"metadata":{"labels":{"a/b":"c"}}}""")]
    public void Apply_ReplaceOfAbsentMember_AddsIt(string original, string patch, string expected)
    {
        var result = JsonPatch.Apply(Json.Parse(original), Json.Parse(patch));

        Json.Equal(expected, result);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a","value":1}""", "json patch must be a JSON array of operations, got an object")]
    [InlineData("""[{"op":"frobnicate","path":"/a"}]""", "json patch operation 0 has unknown op \"frobnicate\"")]
    [InlineData("""[{"path":"/a","value":1}]""", "json patch operation 0 is missing the string member \"op\"")]
    [InlineData("""[{"op":"add","path":"/a"}]""", "json patch operation 0 (add) is missing \"value\"")]
    [InlineData("""[{"op":"move","path":"/a"}]""", "json patch operation 0 is missing the string member \"from\"")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""", "invalid JSON pointer \"a\": must be empty or start with '/'")]
    [InlineData("""[{"op":"add","path":"/a~2","value":1}]""", "invalid JSON pointer \"/a~2\": '~' must be followed by '0' or '1'")]
    [InlineData("""[1]""", "json patch operation 0 must be a JSON object, got number")]
    public void Apply_MalformedPatch_ThrowsBadRequest(string patch, string message)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse("""{"a":{"b":1}}"""), Json.Parse(patch)));

        Assert.Equal(message, error.Message);
        Assert.Equal(PatchErrorKind.BadRequest, error.Kind);
    }

    [Fact]
    public void Apply_MoveIntoOwnChild_ThrowsBadRequest()
    {
        var patch = Json.Parse("""[{"op":"move","from":"/a","path":"/a/b"}]""");

        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse("""{"a":{}}"""), patch));

        Assert.Equal(PatchErrorKind.BadRequest, error.Kind);
    }

    [Fact]
    public void Apply_LaterOperationFails_LeavesOriginalUnchanged()
    {
        var original = Json.Parse("""{"metadata":{"labels":{"a":"1"}}}""");
        var patch = Json.Parse("""[{"op":"add","path":"/metadata/labels/jp","value":"1"},{"op":"test","path":"/metadata/labels/a","value":"2"}]""");

        Assert.Throws<PatchException>(() => JsonPatch.Apply(original, patch));

        Json.Equal("""{"metadata":{"labels":{"a":"1"}}}""", original);
    }

    [Fact]
    public void Apply_ClientSampleAddLabel_AddsLabel()
    {
        var patch = Json.Parse("""[{"op":"add","path":"/metadata/labels/jp","value":"1"}]""");

        var result = JsonPatch.Apply(Json.Parse("""{"metadata":{"name":"x","labels":{"app":"web"}}}"""), patch);

        Json.Equal("""{"metadata":{"name":"x","labels":{"app":"web","jp":"1"}}}""", result);
    }
}
