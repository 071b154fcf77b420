namespace Berth.Node.Images;

/// <summary>
/// Turns <c>image</c> + <c>command</c> + <c>args</c> into the command of a host process. Berth pulls no images:
/// a container with a <c>command</c> runs it (<c>args</c> appended); the agnhost and pause images are built into the
/// <c>berth</c> executable (<c>berth agnhost …</c>); other images run the command an <c>--image-map</c> file names.
/// </summary>
internal sealed class ImageResolver
{
    /// <summary>Repositories answered by <c>berth agnhost</c> (the image's entrypoint is <c>/agnhost</c>).</summary>
    private static readonly string[] _agnhostRepositories = ["registry.k8s.io/e2e-test-images/agnhost", "berth/agnhost"];

    /// <summary>Repositories answered by <c>berth agnhost pause</c> (entrypoint <c>/pause</c>).</summary>
    private static readonly string[] _pauseRepositories = ["registry.k8s.io/pause", "k8s.gcr.io/pause", "berth/pause"];

    private readonly IReadOnlyList<string> _berthCommand;
    private readonly ImageMap? _map;

    public ImageResolver(IReadOnlyList<string> berthCommand, ImageMap? map)
    {
        ArgumentNullException.ThrowIfNull(berthCommand);
        if (berthCommand.Count == 0)
        {
            throw new ArgumentException("the berth command must not be empty", nameof(berthCommand));
        }

        _berthCommand = berthCommand;
        _map = map;
    }

    /// <param name="command">The container's <c>command</c> after <c>$(VAR)</c> expansion.</param>
    /// <param name="args">The container's <c>args</c> after <c>$(VAR)</c> expansion.</param>
    public ImageResolution Resolve(string image, IReadOnlyList<string> command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        var repository = ImageMap.Repository(image ?? string.Empty);
        if (_agnhostRepositories.Contains(repository, StringComparer.Ordinal))
        {
            if (command.Count == 0 || command[0] is "/agnhost" or "agnhost")
            {
                var rest = command.Skip(1).Concat(args).ToList();
                return ImageResolution.Run([.. _berthCommand, "agnhost", .. rest.Count == 0 ? ["pause"] : rest], "berth://builtin/agnhost");
            }
        }
        else if (_pauseRepositories.Contains(repository, StringComparer.Ordinal))
        {
            if (command.Count == 0 || command[0] is "/pause" or "pause")
            {
                return ImageResolution.Run([.. _berthCommand, "agnhost", "pause"], "berth://builtin/pause");
            }
        }

        if (command.Count > 0)
        {
            return ImageResolution.Run([.. command, .. args], "berth://command");
        }

        if (_map?.Find(image ?? string.Empty) is { Count: > 0 } mapped)
        {
            return ImageResolution.Run([.. mapped, .. args], "berth://image-map/" + image);
        }

        return ImageResolution.Fail(
            $"Berth runs containers as host processes and pulls no images: image \"{image}\" is not built in. " +
            "Give the container a command (spec.containers[].command, with args appended), " +
            "or map the image to a command with the node agent's --image-map FILE (YAML or JSON: image name, '*' allowed as the tag, to a command array)");
    }
}
