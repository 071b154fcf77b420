using System.Text;

namespace Berth.ApiServer.Security;

/// <summary>Renders the admin kubeconfig (server, CA data, bearer token).</summary>
public static class Kubeconfig
{
    public static string Render(string server, string caPem, string token, string clusterName = "berth")
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
            - name: {{clusterName}}-admin
              user:
                token: {{token}}
            contexts:
            - name: {{clusterName}}
              context:
                cluster: {{clusterName}}
                user: {{clusterName}}-admin
                namespace: default
            current-context: {{clusterName}}
            preferences: {}

            """;
    }
}
