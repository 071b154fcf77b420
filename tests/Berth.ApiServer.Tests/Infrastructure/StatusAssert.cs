using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Berth.ApiServer.Tests.Infrastructure;

public static class StatusAssert
{
    /// <summary>Runs <paramref name="call"/>, expects an HTTP error, and returns the Kubernetes Status it carried.</summary>
    public static async Task<V1Status> FailsAsync(Func<Task> call, int expectedCode)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(expectedCode, (int)e.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal("Status", status.Kind);
        Assert.Equal(expectedCode, status.Code);
        return status;
    }
}
