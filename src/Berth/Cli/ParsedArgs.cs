namespace Berth.Cli;

/// <summary><c>--name value</c> / <c>--name=value</c> flags (repeatable) and positional words.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _flags = new(StringComparer.Ordinal);

    public ParsedArgs(IEnumerable<string> args, IReadOnlySet<string> known)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (!known.Contains(name))
            {
                throw new UsageException($"unknown flag --{name}");
            }

            if (value is null)
            {
                value = e.MoveNext() ? e.Current : throw new UsageException($"--{name} needs a value");
            }

            if (!_flags.TryGetValue(name, out var list))
            {
                _flags[name] = list = [];
            }

            list.Add(value);
        }
    }

    public List<string> Positional { get; } = [];

    public string? Get(string name) => _flags.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _flags.TryGetValue(name, out var v) ? v : [];
}
