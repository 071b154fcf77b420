using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Security;

/// <summary>
/// Compact JWS (RFC 7515) signed with ES256 (RFC 7518 §3.4: the signature is r‖s, 64 bytes), the one algorithm Berth
/// issues and the only one it accepts — a token naming another <c>alg</c> (<c>none</c>, HS256 with the public key …) is
/// refused before its signature is looked at. Written on System.Security.Cryptography rather than taking a JWT package:
/// issuing and checking one algorithm with one key is a few lines, and nothing is negotiated from the token.
/// </summary>
internal static class JsonWebToken
{
    private const string Algorithm = "ES256";

    public static string Sign(ECDsa key, string keyId, JsonObject claims)
    {
        var header = new JsonObject { ["alg"] = Algorithm, ["kid"] = keyId };
        var signingInput = Encode(header) + "." + Encode(claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The claims of <paramref name="token"/> when it is an ES256 JWS whose signature <paramref name="key"/> verifies; otherwise null.</summary>
    public static JsonObject? Verify(ECDsa key, string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) as JsonObject;
            if (header?["alg"]?.GetValueKind() != JsonValueKind.String || header["alg"]!.GetValue<string>() != Algorithm)
            {
                return null;
            }

            var signature = Base64Url.DecodeFromChars(parts[2]);
            var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return null;
            }

            return JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
