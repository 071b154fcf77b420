using Berth.Node.Images;

namespace Berth.Node.Tests.Images;

public sealed class ImageResolverTests
{
    private static readonly ImageResolver _resolver = new(["dotnet", "/opt/berth.dll"], null);

    [Theory]
    [InlineData("registry.k8s.io/e2e-test-images/agnhost:2.53", "", "netexec --http-port=8080", "dotnet /opt/berth.dll agnhost netexec --http-port=8080")]
    [InlineData("registry.k8s.io/e2e-test-images/agnhost:2.53", "/agnhost netexec", "--http-port=8080", "dotnet /opt/berth.dll agnhost netexec --http-port=8080")]
    [InlineData("berth/agnhost", "", "", "dotnet /opt/berth.dll agnhost pause")]
    [InlineData("registry.k8s.io/pause:3.10", "", "", "dotnet /opt/berth.dll agnhost pause")]
    [InlineData("registry.k8s.io/e2e-test-images/agnhost:2.53", "sh -c", "echo", "sh -c echo")]
    [InlineData("busybox", "sleep", "10", "sleep 10")]
    public void Resolve_MapsBuiltInImagesAndCommands(string image, string command, string args, string expected)
    {
        var resolved = _resolver.Resolve(image, Split(command), Split(args));

        Assert.Null(resolved.Error);
        Assert.Equal(expected, string.Join(' ', resolved.Command!));
    }

    [Fact]
    public void Resolve_OtherImageWithoutCommand_SaysHowToRunIt()
    {
        var resolved = _resolver.Resolve("nginx:1.27", [], []);

        Assert.Null(resolved.Command);
        Assert.Contains("image \"nginx:1.27\"", resolved.Error, StringComparison.Ordinal);
        Assert.Contains("--image-map", resolved.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageMap_MatchesExactNamesBeforeWildcardTags()
    {
        var dir = Directory.CreateTempSubdirectory("berth-images-").FullName;
        try
        {
            var file = Path.Combine(dir, "images.yaml");
            File.WriteAllText(file, "nginx:*: [/usr/sbin/nginx, -g, daemon off;]\nnginx:1.0: [/opt/old-nginx]\n\"redis\": [\"redis-server\"]\n");
            var resolver = new ImageResolver(["berth"], ImageMap.Load(file));

            Assert.Equal("/usr/sbin/nginx -g daemon off; -c x", string.Join(' ', resolver.Resolve("nginx:1.27", [], ["-c", "x"]).Command!));
            Assert.Equal("/opt/old-nginx", string.Join(' ', resolver.Resolve("nginx:1.0", [], []).Command!));
            Assert.Equal("/usr/sbin/nginx -g daemon off;", string.Join(' ', resolver.Resolve("nginx", [], []).Command!));
            Assert.Equal("redis-server", string.Join(' ', resolver.Resolve("redis", [], []).Command!));
            Assert.NotNull(resolver.Resolve("redis:7", [], []).Error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("nginx", "nginx")]
    [InlineData("nginx:1.27", "nginx")]
    [InlineData("registry:5000/team/app:1.0", "registry:5000/team/app")]
    [InlineData("registry:5000/team/app", "registry:5000/team/app")]
    [InlineData("app@sha256:abc", "app")]
    public void Repository_DropsTagAndDigest(string image, string repository) =>
        Assert.Equal(repository, ImageMap.Repository(image));

    private static string[] Split(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
