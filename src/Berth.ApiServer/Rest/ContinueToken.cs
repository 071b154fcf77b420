using System.Globalization;
using System.Text;
using Berth.Core.Errors;

namespace Berth.ApiServer.Rest;

/// <summary>The opaque <c>continue</c> value of a paged list: the list's revision and the last key returned.</summary>
internal sealed record ContinueToken(long Revision, string LastKey)
{
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Revision.ToString(CultureInfo.InvariantCulture) + "\n" + LastKey));

    public static ContinueToken? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            var raw = Encoding.UTF8.GetString(Convert.FromBase64String(text));
            var nl = raw.IndexOf('\n', StringComparison.Ordinal);
            if (nl > 0 && long.TryParse(raw.AsSpan(0, nl), NumberStyles.None, CultureInfo.InvariantCulture, out var rev))
            {
                return new ContinueToken(rev, raw[(nl + 1)..]);
            }
        }
        catch (FormatException)
        {
        }

        throw StatusErrors.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    }
}
