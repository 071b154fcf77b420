using System.Buffers.Text;
using System.Security.Cryptography;
using Berth.Core.Files;

namespace Berth.ApiServer.Security;

/// <summary>
/// The key service account tokens are signed with (kube-apiserver's <c>--service-account-signing-key-file</c>): an ECDSA
/// P-256 key created once in the data directory as <c>sa.key</c> (PKCS#8 PEM, mode 0600) and reused afterwards, so
/// tokens outlive a restart. <see cref="KeyId"/> is Kubernetes' <c>kid</c>: the unpadded base64url SHA-256 of the
/// public key's DER (<c>keyIDFromPublicKey</c>).
/// </summary>
public sealed class ServiceAccountKey : IDisposable
{
    private const string KeyFile = "sa.key";

    private ServiceAccountKey(ECDsa key)
    {
        Key = key;
        KeyId = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    internal ECDsa Key { get; }

    public string KeyId { get; }

    /// <summary>The key in <paramref name="dataDir"/>, created when missing.</summary>
    public static ServiceAccountKey LoadOrCreate(string dataDir)
    {
        PrivateFiles.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, KeyFile);
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            PrivateFiles.WriteAllText(path, key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        return new ServiceAccountKey(key);
    }

    public void Dispose() => Key.Dispose();
}
