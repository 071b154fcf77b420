using Berth.Proxy.Model;

namespace Berth.Proxy.Userspace;

/// <summary>An open entry point: a TCP listener or a UDP socket, owned by one Service port.</summary>
internal interface IFrontend : IDisposable
{
    EntryPoint Entry { get; }

    ServicePortRuntime Owner { get; }

    /// <summary>Starts taking traffic (the accept or receive loop).</summary>
    void Start();

    /// <summary>Applies the owner's current routing: drop or forward new traffic; UDP flows to endpoints no longer usable end.</summary>
    void Apply(Verdict verdict);
}
