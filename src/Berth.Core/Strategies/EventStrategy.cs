using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The core/v1 Event strategy (legacy validation of pkg/apis/core/validation/events.go).</summary>
public sealed class EventStrategy : ResourceStrategy<Corev1Event>
{
    public override bool AllowUnconditionalUpdate => true;

    protected override void Validate(Corev1Event obj, List<FieldError> errors)
    {
        var ns = obj.Metadata?.NamespaceProperty ?? "";
        var involved = obj.InvolvedObject;
        var involvedNamespacePath = FieldPath.Root("involvedObject").Child("namespace");
        if (involved is null)
        {
            errors.Add(FieldError.Required(FieldPath.Root("involvedObject")));
            return;
        }

        var involvedNamespace = involved.NamespaceProperty ?? "";
        if (obj.EventTime is null)
        {
            // Old-style events: namespaces must agree (an empty involved namespace allows "" or "default").
            if (involvedNamespace.Length == 0 ? ns is not ("" or "default") : ns != involvedNamespace)
            {
                errors.Add(FieldError.Invalid(involvedNamespacePath, involvedNamespace, "does not match event.namespace"));
            }

            return;
        }

        if (involvedNamespace.Length == 0 && ns is not ("default" or "kube-system"))
        {
            errors.Add(FieldError.Invalid(involvedNamespacePath, involvedNamespace, "does not match event.namespace"));
        }

        if (string.IsNullOrEmpty(obj.ReportingComponent))
        {
            errors.Add(FieldError.Required(FieldPath.Root("reportingComponent")));
        }
        else
        {
            errors.AddRange(Validation.FieldValidators.QualifiedName(obj.ReportingComponent, FieldPath.Root("reportingComponent")));
        }

        Bounded(obj.ReportingInstance, "reportingInstance", 128, required: true, errors);
        Bounded(obj.Action, "action", 128, required: true, errors);
        Bounded(obj.Reason, "reason", 128, required: true, errors);
        Bounded(obj.Message, "message", 1024, required: false, errors);
    }

    protected override string? GetSelectableField(Corev1Event obj, string field) => field switch
    {
        "involvedObject.kind" => obj.InvolvedObject?.Kind ?? "",
        "involvedObject.namespace" => obj.InvolvedObject?.NamespaceProperty ?? "",
        "involvedObject.name" => obj.InvolvedObject?.Name ?? "",
        "involvedObject.uid" => obj.InvolvedObject?.Uid ?? "",
        "involvedObject.apiVersion" => obj.InvolvedObject?.ApiVersion ?? "",
        "involvedObject.resourceVersion" => obj.InvolvedObject?.ResourceVersion ?? "",
        "involvedObject.fieldPath" => obj.InvolvedObject?.FieldPath ?? "",
        "reason" => obj.Reason ?? "",
        "reportingComponent" => obj.ReportingComponent ?? "",
        "source" => obj.Source?.Component ?? "",
        "type" => obj.Type ?? "",
        _ => null,
    };

    private static void Bounded(string? value, string field, int max, bool required, List<FieldError> errors)
    {
        if (required && string.IsNullOrEmpty(value))
        {
            errors.Add(FieldError.Required(FieldPath.Root(field)));
        }

        if ((value?.Length ?? 0) > max)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root(field), "", "can have at most " + max.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters"));
        }
    }
}
