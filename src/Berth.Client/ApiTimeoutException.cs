using System.Net;
using k8s.Models;

namespace Berth.Client;

/// <summary>
/// A call's client-side deadline passed (<see cref="Http.HttpApiClientOptions"/>): no answer, a body that stopped
/// arriving, or a watch that went silent. Its <see cref="ApiException.Status"/> is a 504 with reason <c>Timeout</c>, the
/// Status kube-apiserver sends for its own timeouts, so every caller that retries API failures retries this too.
/// </summary>
public sealed class ApiTimeoutException : ApiException
{
    public ApiTimeoutException(V1Status status)
        : base(status)
    {
    }

    public ApiTimeoutException(V1Status status, Exception? innerException)
        : base(status, innerException)
    {
    }

    public ApiTimeoutException()
        : base(FromCode(HttpStatusCode.GatewayTimeout, "Timeout"))
    {
    }

    public ApiTimeoutException(string message)
        : base(FromCode(HttpStatusCode.GatewayTimeout, message))
    {
    }

    public ApiTimeoutException(string message, Exception innerException)
        : base(FromCode(HttpStatusCode.GatewayTimeout, message), innerException)
    {
    }
}
