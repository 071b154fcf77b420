using System.CommandLine;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Cli.Flags;

/// <summary>
/// <c>--config FILE</c> of <c>berth up</c>, <c>server</c> and <c>agent</c>: a YAML mapping whose keys are the command's
/// flag names without the dashes and whose values are what the flag would be given (a list for a repeatable flag).
/// It becomes command-line words placed before the real ones, leaving out every flag the command line gives itself, so
/// flags win over the file and the file's values are parsed and checked exactly as flags are.
/// </summary>
internal static class ConfigFile
{
    public const string Name = "--config";

    public const string Notes = """
        --config FILE reads flags from a YAML file: its keys are the flag names above without the dashes, a repeatable
        flag takes a list, and flags given on the command line win over the file. An unknown key is an error. Example:
          api-port: 7443
          service-cidr: 127.50.0.0/20
          dns-upstream: [1.1.1.1, 9.9.9.9]
          log-level: Information
        """;

    public static Option<string?> Create() => Flag.ExistingFile(Name, "FILE", "read flags from this YAML file (keys are flag names; the command line wins)");

    /// <summary>
    /// The words <paramref name="path"/> stands for in <paramref name="command"/>, without the flags for which
    /// <paramref name="given"/> is true, and which options they set. Throws <see cref="UsageException"/> naming the file and
    /// the key for a file that is not a mapping of known flags.
    /// </summary>
    public static (IReadOnlyList<string> Words, IReadOnlySet<Option> Options) Read(string path, Command command, Func<Option, bool> given)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(given);
        var file = Path.GetFileName(path);
        YamlStream yaml = [];
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new UsageException($"{file}: not YAML ({e.Start.Line}:{e.Start.Column}): {e.Message}", e);
        }

        if (yaml.Documents is [] || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return ([], new HashSet<Option>());
        }

        if (yaml.Documents is not [{ RootNode: YamlMappingNode mapping }])
        {
            throw new UsageException($"{file}: must be one mapping of flag names to values (like api-port: 6443)");
        }

        var words = new List<string>();
        var options = new HashSet<Option>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var option = command.Options.FirstOrDefault(o => o.Name == "--" + key && o.Name is not (Name or "--help"));
            if (option is null)
            {
                throw new UsageException($"{file}: unknown key '{key}' (the keys are the flags of `berth {command.Name} --help` without the dashes)");
            }

            if (given(option))
            {
                continue;
            }

            options.Add(option);
            foreach (var item in Values(file, key, value, option.Arity.MaximumNumberOfValues > 1))
            {
                words.Add(option.Name);
                words.Add(item);
            }
        }

        return (words, options);
    }

    private static IEnumerable<string> Values(string file, string key, YamlNode node, bool repeatable)
    {
        switch (node)
        {
            case YamlScalarNode scalar when IsNull(scalar):
                throw new UsageException($"{file}: {key}: needs a value");
            case YamlScalarNode scalar:
                return [scalar.Value!];
            case YamlSequenceNode sequence when repeatable:
                return sequence.Children.Select(item => item is YamlScalarNode scalar && !IsNull(scalar)
                    ? scalar.Value!
                    : throw new UsageException($"{file}: {key}: each item must be a single value"));
            case YamlSequenceNode:
                throw new UsageException($"{file}: {key}: takes one value, not a list");
            default:
                throw new UsageException($"{file}: {key}: must be a value{(repeatable ? " or a list of values" : "")}, not a mapping");
        }
    }

    /// <summary><c>key:</c>, <c>key: ~</c> and <c>key: null</c> (plain, not quoted).</summary>
    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
