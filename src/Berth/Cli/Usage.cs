namespace Berth.Cli;

/// <summary>Turns an options class's validation (<see cref="ArgumentException"/>) into a usage error (exit code 2).</summary>
internal static class Usage
{
    public static void Check(Action validate)
    {
        ArgumentNullException.ThrowIfNull(validate);
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }
    }
}
