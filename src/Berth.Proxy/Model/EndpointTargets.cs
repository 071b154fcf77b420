namespace Berth.Proxy.Model;

/// <summary>The endpoints one kind of traffic (internal or external) goes to, and what to do when there are none.</summary>
internal sealed record EndpointTargets(Verdict Verdict, EquatableArray<Endpoint> Endpoints)
{
    public static readonly EndpointTargets Rejected = new(Verdict.Reject, []);

    public static readonly EndpointTargets Dropped = new(Verdict.Drop, []);

    public static EndpointTargets Forward(EquatableArray<Endpoint> endpoints) => new(Verdict.Forward, endpoints);
}
