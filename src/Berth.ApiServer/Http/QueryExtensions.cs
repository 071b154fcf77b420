using System.Globalization;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

internal static class QueryExtensions
{
    public static string? Get(this IQueryCollection query, string name)
    {
        var v = query[name];
        return v.Count == 0 ? null : v[0];
    }

    /// <summary>kubectl sends <c>true</c>/<c>false</c>, the C# client <c>1</c>/<c>0</c>.</summary>
    public static bool GetBool(this IQueryCollection query, string name)
    {
        var v = query.Get(name);
        return v is not null && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));
    }

    public static long? GetLong(this IQueryCollection query, string name)
    {
        var v = query.Get(name);
        if (string.IsNullOrEmpty(v))
        {
            return null;
        }

        return long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw StatusErrors.BadRequest($"invalid value for query parameter {name}: {v}");
    }
}
