using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Resources;
using Berth.Core.Selectors;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

/// <summary>The label and field selectors of a list or watch, compiled once per request.</summary>
internal sealed class ListOptions
{
    private readonly ResourceInfo _resource;
    private readonly LabelSelector? _labels;
    private readonly FieldSelector? _fields;

    private ListOptions(ResourceInfo resource, LabelSelector? labels, FieldSelector? fields)
    {
        _resource = resource;
        _labels = labels;
        _fields = fields;
    }

    public static ListOptions From(IQueryCollection query, ResourceInfo resource)
    {
        LabelSelector? labels = null;
        FieldSelector? fields = null;
        var labelText = query.Get("labelSelector");
        var fieldText = query.Get("fieldSelector");
        try
        {
            if (!string.IsNullOrWhiteSpace(labelText))
            {
                labels = LabelSelector.Parse(labelText);
            }

            if (!string.IsNullOrWhiteSpace(fieldText))
            {
                fields = FieldSelector.Parse(fieldText);
            }
        }
        catch (SelectorParseException e)
        {
            throw StatusErrors.BadRequest(e.Message);
        }

        if (fields is not null)
        {
            // An unsupported field is refused up front, with the Kubernetes message.
            var probe = CreateProbe(resource);
            foreach (var requirement in fields.Requirements)
            {
                if (resource.Strategy.GetSelectableField(probe, requirement.Field) is null)
                {
                    throw StatusErrors.BadRequest($"field label not supported: {requirement.Field}");
                }
            }
        }

        return new ListOptions(resource, labels, fields);
    }

    public bool IsEverything => _labels is null && _fields is null;

    public bool Matches(IKubernetesObject<V1ObjectMeta> obj) =>
        (_labels is null || _labels.Matches(obj.Metadata?.Labels)) &&
        (_fields is null || _fields.Matches(f => _resource.Strategy.GetSelectableField(obj, f)));

    private static IKubernetesObject<V1ObjectMeta> CreateProbe(ResourceInfo resource)
    {
        var obj = (IKubernetesObject<V1ObjectMeta>)Activator.CreateInstance(resource.ModelType)!;
        obj.Metadata = new V1ObjectMeta();
        return obj;
    }
}
