using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Allocation;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Patching;
using Berth.Core.Resources;
using Berth.Core.Serialization;
using Berth.Core.Serialization.Protobuf;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

/// <summary>
/// The REST verbs on resource URLs: get, list, watch, create, update, patch, delete, deletecollection and the
/// status / scale / binding / finalize subresources. Split by concern into partial files.
/// </summary>
internal sealed partial class RestHandler
{
    private readonly ObjectStore _objects;
    private readonly ResourceRegistry _registry;
    private readonly ApiServerOptions _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, IAllocationHook> _hooks;

    public RestHandler(ObjectStore objects, ResourceRegistry registry, ApiServerOptions options, IReadOnlyDictionary<string, IAllocationHook> hooks)
    {
        _objects = objects;
        _registry = registry;
        _hooks = hooks;
        _options = options;
        _time = options.TimeProvider;
    }

    public async Task HandleAsync(HttpContext context, RequestInfo request)
    {
        var method = context.Request.Method;
        var ct = context.RequestAborted;
        switch (request.Subresource)
        {
            case null:
                await HandleMainAsync(context, request, method, ct).ConfigureAwait(false);
                return;
            case "status":
                await HandleStatusAsync(context, request, method, ct).ConfigureAwait(false);
                return;
            case "scale":
                await HandleScaleAsync(context, request, method, ct).ConfigureAwait(false);
                return;
            case "binding":
                await HandleBindingAsync(context, request, method, ct).ConfigureAwait(false);
                return;
            case "finalize":
                await HandleFinalizeAsync(context, request, method, ct).ConfigureAwait(false);
                return;
            case "token" when request.Resource.Kind == "ServiceAccount":
                await CreateTokenAsync(context, request, method, ct).ConfigureAwait(false);
                return;
            case "eviction":
                await HandleEvictionAsync(context, request, method, ct).ConfigureAwait(false);
                return;
            default:
                throw StatusErrors.NotFound("", request.Resource.Plural + "/" + request.Subresource, request.Name ?? "");
        }
    }

    private async Task HandleMainAsync(HttpContext context, RequestInfo request, string method, CancellationToken ct)
    {
        if (!request.Resource.IsStored)
        {
            await AnswerReviewAsync(context, request, method, ct).ConfigureAwait(false);
            return;
        }

        if (request.IsCollection)
        {
            switch (method)
            {
                case "GET":
                    if (context.Request.Query.GetBool("watch"))
                    {
                        await WatchAsync(context, request, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await ListAsync(context, request, ct).ConfigureAwait(false);
                    }

                    return;
                case "POST":
                    await CreateAsync(context, request, ct).ConfigureAwait(false);
                    return;
                case "DELETE":
                    await DeleteCollectionAsync(context, request, ct).ConfigureAwait(false);
                    return;
                default:
                    throw MethodNotAllowed(method, request);
            }
        }

        switch (method)
        {
            case "GET":
                await GetAsync(context, request, ct).ConfigureAwait(false);
                return;
            case "PUT":
                await ReplaceAsync(context, request, statusOnly: false, ct).ConfigureAwait(false);
                return;
            case "PATCH":
                await PatchAsync(context, request, statusOnly: false, ct).ConfigureAwait(false);
                return;
            case "DELETE":
                await DeleteAsync(context, request, ct).ConfigureAwait(false);
                return;
            default:
                throw MethodNotAllowed(method, request);
        }
    }

    private static StatusException MethodNotAllowed(string method, RequestInfo request) =>
        StatusErrors.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {request.Resource.Plural})");

    private async Task GetAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var stored = await GetExistingAsync(request, ct).ConfigureAwait(false);
        if (MediaTypes.WantsTable(context.Request.Headers.Accept))
        {
            var table = Tables.Convert(request.Resource, [stored.Object], null, null, _time.GetUtcNow(), Tables.IncludeObject(context.Request.Query));
            await Responses.WriteJsonAsync(context, 200, table, ct).ConfigureAwait(false);
            return;
        }

        await Responses.WriteBytesAsync(context, 200, stored.Json, ct).ConfigureAwait(false);
    }

    private async Task<StoredObject> GetExistingAsync(RequestInfo request, CancellationToken ct)
    {
        var stored = await _objects.GetAsync(request.Resource, request.Namespace, request.Name!, ct).ConfigureAwait(false);
        return stored ?? throw StatusErrors.NotFound(request.Resource.Group, request.Resource.Plural, request.Name!);
    }

    /// <summary>
    /// Reads the request body as JSON (YAML and kubectl's protobuf are converted) within the configured
    /// <see cref="DecodeLimits"/>: bytes read, nesting, YAML aliases and the values it decodes to.
    /// </summary>
    private async Task<JsonNode> ReadBodyAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var limits = _options.DecodeLimits;
        using var buffer = await ReadLimitedAsync(context.Request, limits.MaxBytes, ct).ConfigureAwait(false);
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var essence = MediaTypes.Essence(context.Request.ContentType);
        try
        {
            JsonNode? node = essence switch
            {
                MediaTypes.Yaml or MediaTypes.ApplyPatch => ApplyPatch.ParseDocument(Encoding.UTF8.GetString(body), limits),
                // kubectl's generators (create configmap|deployment|service, run) send protobuf with no JSON fallback.
                KubernetesProtobuf.MediaType when context.Request.Method is "POST" or "PUT" => KubernetesProtobuf.Decode(body, limits),
                "" or MediaTypes.Json or MediaTypes.JsonPatch or MediaTypes.MergePatch or MediaTypes.StrategicMergePatch => JsonBody.Parse(body, limits),
                _ => throw StatusErrors.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"),
            };
            return node ?? throw StatusErrors.BadRequest("the request body is empty");
        }
        catch (JsonException e)
        {
            throw CannotHandle(request.Resource, e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw CannotHandle(request.Resource, e.Message);
        }
        catch (ProtobufDecodeException e)
        {
            throw CannotHandle(request.Resource, e.Message);
        }
        catch (PatchException e)
        {
            throw e.ToStatusException();
        }
    }

    /// <summary>The body, read to its end; more than <paramref name="maxBytes"/> is a 413 (apiserver handlers/rest.go <c>limitedReadBody</c>).</summary>
    private static async Task<MemoryStream> ReadLimitedAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }

            return buffer;
        }
        catch
        {
            await buffer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static StatusException TooLarge(long maxBytes) =>
        StatusErrors.RequestEntityTooLarge("limit is " + maxBytes.ToString(CultureInfo.InvariantCulture));

    private static StatusException CannotHandle(ResourceInfo resource, string why) =>
        StatusErrors.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: {why}");

    /// <summary>
    /// Checks apiVersion/kind and unknown fields (<c>fieldValidation</c>: Strict → 400, Warn (the default) → a
    /// Warning header, Ignore), then decodes the model.
    /// </summary>
    private static IKubernetesObject<V1ObjectMeta> DecodeBody(HttpContext context, ResourceInfo resource, JsonNode body, Type modelType)
    {
        if (body is not JsonObject obj)
        {
            throw CannotHandle(resource, "the body must be a JSON object");
        }

        CheckTypeMeta(resource, obj, modelType);
        CheckUnknownFields(context, resource, obj, modelType);
        try
        {
            var decoded = resource.DecodeBody(obj);
            decoded.ApiVersion = resource.ApiVersion;
            decoded.Kind = resource.Kind;
            decoded.Metadata ??= new V1ObjectMeta();
            return decoded;
        }
        catch (JsonException e)
        {
            throw CannotHandle(resource, e.Message);
        }
        catch (FormatException e)
        {
            throw CannotHandle(resource, e.Message);
        }
    }

    private static void CheckTypeMeta(ResourceInfo resource, JsonObject obj, Type modelType)
    {
        if (modelType != resource.ModelType)
        {
            return;
        }

        var apiVersion = obj["apiVersion"]?.GetValueKind() == JsonValueKind.String ? obj["apiVersion"]!.GetValue<string>() : null;
        var kind = obj["kind"]?.GetValueKind() == JsonValueKind.String ? obj["kind"]!.GetValue<string>() : null;
        if (!string.IsNullOrEmpty(kind) && kind != resource.Kind)
        {
            throw StatusErrors.BadRequest($"the kind of the provided object ({kind}) does not match the resource ({resource.Kind})");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != resource.ApiVersion)
        {
            throw StatusErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }
    }

    private static void CheckUnknownFields(HttpContext context, ResourceInfo resource, JsonObject obj, Type modelType)
    {
        var mode = context.Request.Query.Get("fieldValidation") ?? "Warn";
        if (mode is not ("Strict" or "Warn" or "Ignore"))
        {
            throw StatusErrors.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\" or \"Strict\", not {FieldError.Quote(mode)}");
        }

        if (mode == "Ignore")
        {
            return;
        }

        var unknown = UnknownFieldDetector.Find(obj, modelType);
        if (unknown.Count == 0)
        {
            return;
        }

        if (mode == "Strict")
        {
            var list = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            throw CannotHandle(resource, "strict decoding error: " + list);
        }

        foreach (var u in unknown)
        {
            context.Response.Headers.Append("Warning", $"299 - \"unknown field \\\"{u}\\\"\"");
        }
    }

    private static bool IsDryRun(HttpContext context)
    {
        var dryRun = context.Request.Query["dryRun"];
        foreach (var v in dryRun)
        {
            if (v != "All")
            {
                throw StatusErrors.BadRequest($"dryRun: Unsupported value: {FieldError.Quote(v)}: supported values: \"All\"");
            }
        }

        return dryRun.Count > 0;
    }

    private static string Rv(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    private static long ParseRv(string? rv, string what)
    {
        if (string.IsNullOrEmpty(rv))
        {
            return 0;
        }

        return long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw StatusErrors.BadRequest($"invalid {what} {FieldError.Quote(rv)}");
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private IAllocationHook? HookFor(ResourceInfo resource) => _hooks.GetValueOrDefault(resource.Plural);

    private void AfterDelete(ResourceInfo resource, StoredObject deleted) => HookFor(resource)?.AfterDelete(deleted.Object);
}
