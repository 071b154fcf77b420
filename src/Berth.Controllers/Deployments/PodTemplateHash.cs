using System.Globalization;
using System.Text;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Deployments;

/// <summary>
/// The <c>pod-template-hash</c> of a Deployment's template (<c>controller.ComputeHash</c>): FNV-1a 32 of the template
/// plus the collision count, written with <c>rand.SafeEncodeString</c>'s alphabet. Upstream hashes Go's printed form of
/// the struct; Berth hashes the canonical JSON, so the value is stable and changes with the template but is not
/// bit-for-bit Kubernetes'.
/// </summary>
internal static class PodTemplateHash
{
    // rand.SafeEncodeString: no vowels (no words) and no easily confused characters.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        ArgumentNullException.ThrowIfNull(template);

        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(CanonicalJson.Render(template)))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        if (collisionCount is { } count)
        {
            foreach (var b in BitConverter.GetBytes((uint)count).AsSpan())
            {
                hash = unchecked((hash ^ b) * 16777619u);
            }
        }

        var digits = hash.ToString(CultureInfo.InvariantCulture);
        var encoded = new StringBuilder(digits.Length);
        foreach (var c in digits)
        {
            encoded.Append(Alphabet[c % Alphabet.Length]);
        }

        return encoded.ToString();
    }

    /// <summary>Template equality ignoring the pod-template-hash label (<c>EqualIgnoreHash</c>).</summary>
    public static bool EqualIgnoreHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return Render(a) == Render(b);

        static string Render(V1PodTemplateSpec template)
        {
            var copy = ObjectCopy.Clone(template);
            copy.Metadata?.Labels?.Remove(WellKnown.PodTemplateHashLabel);
            return CanonicalJson.Render(copy);
        }
    }
}
