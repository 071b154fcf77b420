using System.Text;

namespace Berth.Node.Pods;

/// <summary>
/// <c>$(VAR)</c> expansion of env values, <c>command</c> and <c>args</c>, as Kubernetes'
/// third_party/forked/golang/expansion/expand.go: <c>$$</c> is an escaped <c>$</c>, a reference to an undefined
/// variable stays as written, an unterminated <c>$(</c> is copied literally, and a <c>$</c> before any other character
/// is kept with that character.
/// </summary>
internal static class VariableExpansion
{
    /// <summary>A lookup over several maps, the first that defines a name wins (expansion.MappingFuncFor).</summary>
    public static Func<string, string> MappingFor(params IReadOnlyDictionary<string, string>[] contexts) => name =>
    {
        foreach (var vars in contexts)
        {
            if (vars.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return "$(" + name + ")";
    };

    public static string Expand(string input, Func<string, string> mapping)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(mapping);
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var buffer = new StringBuilder(input.Length);
        var checkpoint = 0;
        for (var cursor = 0; cursor < input.Length; cursor++)
        {
            if (input[cursor] != '$' || cursor + 1 >= input.Length)
            {
                continue;
            }

            buffer.Append(input, checkpoint, cursor - checkpoint);
            var (read, isVariable, advance) = TryReadVariableName(input.AsSpan(cursor + 1));
            buffer.Append(isVariable ? mapping(read) : read);
            cursor += advance;
            checkpoint = cursor + 1;
        }

        return buffer.Append(input, checkpoint, input.Length - checkpoint).ToString();
    }

    private static (string Read, bool IsVariable, int Advance) TryReadVariableName(ReadOnlySpan<char> input)
    {
        switch (input[0])
        {
            case '$':
                return ("$", false, 1);
            case '(':
                var close = input[1..].IndexOf(')');
                return close < 0 ? ("$(", false, 1) : (input.Slice(1, close).ToString(), true, close + 2);
            default:
                return ("$" + input[0], false, 1);
        }
    }
}
