using System.Security.Cryptography;
using Berth.ApiServer.Admission;
using Berth.ApiServer.Allocation;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Resources;
using Berth.Storage;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private async Task CreateAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var dryRun = IsDryRun(context);
        var body = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
        var obj = DecodeBody(context, request.Resource, body, request.Resource.ModelType);
        var created = await CreateObjectAsync(request, obj, dryRun, ct).ConfigureAwait(false);
        await Responses.WriteBytesAsync(context, 201, created.Json, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The create path of every kind: namespace checks, name generation, system metadata, the kind's strategy
    /// (prepare, default, validate), then the store. Nothing is written when any step fails.
    /// </summary>
    private async Task<StoredObject> CreateObjectAsync(RequestInfo request, IKubernetesObject<V1ObjectMeta> obj, bool dryRun, CancellationToken ct)
    {
        var resource = request.Resource;
        var meta = obj.Metadata;
        if (resource.Namespaced)
        {
            var ns = request.Namespace ?? throw StatusErrors.BadRequest("a namespace is required to create this resource");
            if (!string.IsNullOrEmpty(meta.NamespaceProperty) && meta.NamespaceProperty != ns)
            {
                throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta.NamespaceProperty = ns;
            await CheckNamespaceAcceptsAsync(ns, ct).ConfigureAwait(false);
        }
        else
        {
            meta.NamespaceProperty = null;
        }

        if (request.Name is not null && !string.IsNullOrEmpty(meta.Name) && meta.Name != request.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({request.Name})");
        }

        if (!string.IsNullOrEmpty(meta.ResourceVersion))
        {
            throw StatusErrors.BadRequest("resourceVersion should not be set on objects to be created");
        }

        var generated = string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName);
        for (var attempt = 0; ; attempt++)
        {
            if (generated)
            {
                meta.Name = GenerateName(meta.GenerateName);
            }

            meta.Uid = Guid.NewGuid().ToString();
            meta.CreationTimestamp = _time.GetUtcNow().UtcDateTime;
            meta.DeletionTimestamp = null;
            meta.DeletionGracePeriodSeconds = null;
            meta.Generation = 1;
            meta.ManagedFields = null;

            resource.Strategy.PrepareForCreate(obj);
            resource.Strategy.Default(obj);
            var key = ObjectStore.Key(resource, meta.NamespaceProperty, meta.Name!);
            var hook = HookFor(resource);
            if ((hook is not null || dryRun) && await _objects.Store.GetAsync(key, ct).ConfigureAwait(false) is not null)
            {
                // Checked before allocating, so that a create of an existing Service reports AlreadyExists, not an
                // allocation error for its own cluster IP; the store's create is the check for everything else.
                throw StatusErrors.AlreadyExists(resource.Group, resource.Plural, meta.Name!);
            }

            var allocation = hook?.BeforeCreate(obj, dryRun) ?? AllocationTransaction.None;
            StoreOutcome outcome;
            KeyValue? written;
            try
            {
                var errors = resource.Strategy.Validate(obj);
                if (errors.Count > 0)
                {
                    throw StatusErrors.Invalid(resource.Group, resource.Kind, meta.Name ?? "", errors);
                }

                await AdmitAsync(request, AdmissionOperation.Create, request.Name ?? "", obj, null, ct).ConfigureAwait(false);

                if (dryRun)
                {
                    return new StoredObject(resource, new KeyValue(key, ObjectStore.Encode(resource, obj), 0, 0), obj);
                }

                var result = await _objects.Store.CreateAsync(key, ObjectStore.Encode(resource, obj), ct).ConfigureAwait(false);
                (outcome, written) = (result.Outcome, result.Value);
            }
            catch
            {
                allocation.Rollback();
                throw;
            }

            if (outcome == StoreOutcome.Ok)
            {
                allocation.Commit();
                var stored = _objects.Written(resource, written!, obj);
                if (resource.Group.Length == 0 && resource.Plural == "namespaces")
                {
                    await EnsureDefaultServiceAccountAsync(meta.Name!, ct).ConfigureAwait(false);
                }

                return stored;
            }

            allocation.Rollback();

            // A generated name that collides is generated again, as the Kubernetes registry does.
            if (!generated || attempt >= 8)
            {
                throw StatusErrors.AlreadyExists(resource.Group, resource.Plural, meta.Name!);
            }
        }
    }

    /// <summary>A create made by the server itself (bootstrap objects), through the same path as a client's.</summary>
    public Task<StoredObject> CreateInternalAsync(ResourceInfo resource, string? ns, IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct) =>
        CreateObjectAsync(new RequestInfo(resource, ns, null, null, null), obj, dryRun: false, ct);

    /// <summary>An update made by the server itself (bootstrap policy), through the same path as a client's, retried on conflicts.</summary>
    public Task<StoredObject> UpdateInternalAsync(ResourceInfo resource, string? ns, string name, Func<StoredObject, IKubernetesObject<V1ObjectMeta>> apply, CancellationToken ct) =>
        GuaranteedUpdateAsync(new RequestInfo(resource, ns, name, null, null), UpdateKind.Main, dryRun: false, apply, ct);

    /// <summary>A delete made by the server itself (a bootstrap binding whose role changed is recreated).</summary>
    public Task DeleteInternalAsync(ResourceInfo resource, string? ns, string name, CancellationToken ct) =>
        DeleteObjectAsync(new RequestInfo(resource, ns, name, null, null), name, new V1DeleteOptions(), ct);

    /// <summary>The NamespaceLifecycle admission rules: the namespace must exist and must not be terminating.</summary>
    private async Task CheckNamespaceAcceptsAsync(string ns, CancellationToken ct)
    {
        var namespaces = _registry.Find("", "namespaces")!;
        var stored = await _objects.GetAsync(namespaces, null, ns, ct).ConfigureAwait(false)
            ?? throw StatusErrors.NotFound("", "namespaces", ns);
        if (stored.Object.Metadata.DeletionTimestamp is not null)
        {
            throw StatusErrors.NamespaceTerminating(ns);
        }
    }

    /// <summary>apiserver's <c>SimpleNameGenerator</c>: the prefix and five random characters that spell no words.</summary>
    internal static string GenerateName(string prefix)
    {
        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = NameAlphabet[RandomNumberGenerator.GetInt32(NameAlphabet.Length)];
        }

        // Kubernetes trims the prefix so that the result stays within 63 characters.
        var maxPrefix = 63 - suffix.Length;
        return (prefix.Length > maxPrefix ? prefix[..maxPrefix] : prefix) + new string(suffix);
    }
}
