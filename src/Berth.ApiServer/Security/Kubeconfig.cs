using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Berth.ApiServer.Security;

/// <summary>
/// Renders kubeconfig files: the admin's (server, CA data, bearer token) and one whose user is a client certificate the
/// cluster CA issued (a node's, or any user's: the certificate's CN and Os are who the server sees).
/// </summary>
public static class Kubeconfig
{
    public static string Render(string server, string caPem, string token, string clusterName = "berth") =>
        Render(server, caPem, clusterName, clusterName + "-admin", $"token: {token}");

    /// <summary>A kubeconfig authenticating with <paramref name="certificate"/> (which must hold its ECDSA private key).</summary>
    public static string Render(string server, string caPem, X509Certificate2 certificate, string clusterName = "berth")
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate has no ECDSA private key", nameof(certificate));
        var user = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var cert = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        var keyData = Convert.ToBase64String(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        return Render(server, caPem, clusterName, user, $"client-certificate-data: {cert}\n    client-key-data: {keyData}");
    }

    private static string Render(string server, string caPem, string clusterName, string userName, string credential)
    {
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem));
        return $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {{clusterName}}
              cluster:
                server: {{server}}
                certificate-authority-data: {{ca}}
            users:
            - name: {{userName}}
              user:
                {{credential}}
            contexts:
            - name: {{clusterName}}
              context:
                cluster: {{clusterName}}
                user: {{userName}}
                namespace: default
            current-context: {{clusterName}}
            preferences: {}

            """;
    }
}
