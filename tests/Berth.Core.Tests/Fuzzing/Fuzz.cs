using CsCheck;

namespace Berth.Core.Tests.Fuzzing;

/// <summary>
/// Runs a decoder on generated input (CsCheck) for a bounded time: it may refuse an input only in the ways it is
/// documented to (the Status or parse errors the API server turns into 4xx answers), and no single input may make it
/// allocate more than <see cref="MaxAllocatedBytes"/>. A failing input is shrunk and printed with its seed; replay it
/// with the environment variable <c>CsCheck_Seed</c>, or run longer with <c>CsCheck_Time</c> (seconds).
/// </summary>
internal static class Fuzz
{
    /// <summary>Seconds each property runs in CI: the suite stays fast, and every run tries new inputs.</summary>
    public const int Seconds = 2;

    /// <summary>Inputs are at most a few KiB: anything near this is an expansion bug, not work.</summary>
    public const long MaxAllocatedBytes = 64L * 1024 * 1024;

    public static void Check<T>(Gen<T> inputs, Action<T> decode, Func<Exception, bool> expected, Func<T, string>? print = null) =>
        inputs.Sample(
            input =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    decode(input);
                }
                catch (Exception e) when (expected(e))
                {
                }

                return GC.GetAllocatedBytesForCurrentThread() - before < MaxAllocatedBytes;
            },
            // CsCheck reads CsCheck_Time (and CsCheck_Seed) only where the caller passes nothing.
            time: Environment.GetEnvironmentVariable("CsCheck_Time") is null ? Seconds : -1,
            print: print);
}
