using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Core.Files;

namespace Berth.ApiServer.Security;

/// <summary>
/// The cluster's CA, the API server's serving certificate and the admin bearer token, created on first
/// start in the data directory and reused afterwards. Every file is written mode 0600 (<see cref="PrivateFiles"/>).
/// </summary>
public sealed class ClusterCredentials
{
    private const string CaCertFile = "ca.crt";
    private const string CaKeyFile = "ca.key";
    private const string ServerCertFile = "apiserver.crt";
    private const string ServerKeyFile = "apiserver.key";
    private const string TokenFile = "admin.token";

    private ClusterCredentials(X509Certificate2 ca, X509Certificate2 serving, string adminToken)
    {
        CaCertificate = ca;
        ServingCertificate = serving;
        AdminToken = adminToken;
    }

    /// <summary>The CA certificate with its private key (it also signs agents' client certificates).</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The serving certificate with its private key.</summary>
    public X509Certificate2 ServingCertificate { get; }

    public string AdminToken { get; }

    public string CaPem => CaCertificate.ExportCertificatePem();

    /// <summary>Loads the credentials from <paramref name="dataDir"/>, creating what is missing. A serving certificate that lacks a wanted SAN is issued again.</summary>
    public static ClusterCredentials LoadOrCreate(string dataDir, IEnumerable<IPAddress> addresses, IEnumerable<string> extraSans, TimeProvider time)
    {
        PrivateFiles.CreateDirectory(dataDir);
        var now = time.GetUtcNow();
        var ca = LoadOrCreateCa(dataDir, now);

        var ips = new HashSet<IPAddress>(addresses) { IPAddress.Loopback };
        var dnsNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local" };
        foreach (var san in extraSans)
        {
            if (IPAddress.TryParse(san, out var ip))
            {
                ips.Add(ip);
            }
            else
            {
                dnsNames.Add(san);
            }
        }

        var serving = LoadServing(dataDir, ca, ips, dnsNames, now) ?? CreateServing(dataDir, ca, ips, dnsNames, now);

        var tokenPath = Path.Combine(dataDir, TokenFile);
        string token;
        if (File.Exists(tokenPath))
        {
            token = File.ReadAllText(tokenPath).Trim();
        }
        else
        {
            token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            PrivateFiles.WriteAllText(tokenPath, token + "\n");
        }

        return new ClusterCredentials(ca, serving, token);
    }

    /// <summary>
    /// The credentials a server already made in <paramref name="dataDir"/>, changing nothing (for a command beside a
    /// running server: issuing a node credential must not re-issue its serving certificate); null when any is missing.
    /// </summary>
    public static ClusterCredentials? LoadExisting(string dataDir)
    {
        string[] files = [CaCertFile, CaKeyFile, ServerCertFile, ServerKeyFile, TokenFile];
        if (!files.All(f => File.Exists(Path.Combine(dataDir, f))))
        {
            return null;
        }

        var ca = X509Certificate2.CreateFromPemFile(Path.Combine(dataDir, CaCertFile), Path.Combine(dataDir, CaKeyFile));
        var serving = X509Certificate2.CreateFromPemFile(Path.Combine(dataDir, ServerCertFile), Path.Combine(dataDir, ServerKeyFile));
        return new ClusterCredentials(ca, serving, File.ReadAllText(Path.Combine(dataDir, TokenFile)).Trim());
    }

    /// <summary>Issues a client certificate signed by the cluster CA (for node agents: CN = user, O = groups).</summary>
    public X509Certificate2 IssueClientCertificate(string commonName, IEnumerable<string> organizations, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new StringBuilder("CN=").Append(commonName);
        foreach (var o in organizations)
        {
            subject.Append(", O=").Append(o);
        }

        var request = new CertificateRequest(subject.ToString(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var cert = request.Create(CaCertificate, now.AddMinutes(-5), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>True when <paramref name="certificate"/> is this server's serving certificate (for clients that pin it).</summary>
    public bool IsServerCertificate(X509Certificate certificate) =>
        certificate.GetCertHashString() == ServingCertificate.GetCertHashString();

    /// <summary>True when <paramref name="certificate"/> was issued by the cluster CA and is valid now.</summary>
    public bool IsIssuedByCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    private static X509Certificate2 LoadOrCreateCa(string dataDir, DateTimeOffset now)
    {
        var certPath = Path.Combine(dataDir, CaCertFile);
        var keyPath = Path.Combine(dataDir, CaKeyFile);
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=berth-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        PrivateFiles.WriteAllText(certPath, ca.ExportCertificatePem());
        PrivateFiles.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return ca;
    }

    private static X509Certificate2? LoadServing(string dataDir, X509Certificate2 ca, HashSet<IPAddress> ips, HashSet<string> dnsNames, DateTimeOffset now)
    {
        var certPath = Path.Combine(dataDir, ServerCertFile);
        var keyPath = Path.Combine(dataDir, ServerKeyFile);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            return null;
        }

        var cert = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var haveIps = san?.EnumerateIPAddresses().ToHashSet() ?? [];
        var haveDns = san?.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var fresh = cert.NotAfter > now.UtcDateTime.AddDays(30) && cert.Issuer == ca.Subject;
        if (fresh && ips.IsSubsetOf(haveIps) && dnsNames.IsSubsetOf(haveDns))
        {
            return cert;
        }

        cert.Dispose();
        return null;
    }

    private static X509Certificate2 CreateServing(string dataDir, X509Certificate2 ca, HashSet<IPAddress> ips, HashSet<string> dnsNames, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=berth-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var ip in ips)
        {
            san.AddIpAddress(ip);
        }

        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = request.Create(ca, now.AddMinutes(-5), now.AddYears(2), RandomNumberGenerator.GetBytes(16));
        var withKey = cert.CopyWithPrivateKey(key);
        PrivateFiles.WriteAllText(Path.Combine(dataDir, ServerCertFile), withKey.ExportCertificatePem());
        PrivateFiles.WriteAllText(Path.Combine(dataDir, ServerKeyFile), key.ExportPkcs8PrivateKeyPem());
        return withKey;
    }

}
