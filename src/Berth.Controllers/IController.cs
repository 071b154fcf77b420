namespace Berth.Controllers;

/// <summary>A queue-driven control loop. Constructed with its informers (handlers registered in the constructor), run after they sync.</summary>
public interface IController
{
    string Name { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
