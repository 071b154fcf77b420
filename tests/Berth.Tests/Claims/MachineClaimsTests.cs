using Berth.Claims;

namespace Berth.Tests.Claims;

/// <summary>The register in a directory of the test's own (the real one is machine-wide and shared by live Berths).</summary>
[Collection(nameof(MachineClaimsTests))]
public sealed class MachineClaimsTests : IDisposable
{
    private readonly string _previous = MachineClaims.Directory;
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-claims-test-").FullName;

    public MachineClaimsTests() => MachineClaims.Directory = _dir;

    private static MachineClaim Claim(string dataDir, string cidr) => new(Environment.ProcessId, dataDir, [new ClaimedRange("service CIDR", cidr)], []);

    [Fact]
    public void Claim_IsSeenByLaterClaims_AndGoneWhenDisposed()
    {
        using (var first = MachineClaims.Claim(live => Claim("/a", "127.5.0.0/16")))
        {
            IReadOnlyList<MachineClaim> seen = [];
            using var second = MachineClaims.Claim(live =>
            {
                seen = live;
                return Claim("/b", "127.6.0.0/16");
            });

            var only = Assert.Single(seen);
            Assert.Equal("/a", only.DataDir);
            Assert.Equal(2, MachineClaims.ReadLive().Count);
        }

        Assert.Empty(MachineClaims.ReadLive());
    }

    [Fact]
    public void ReadLive_AClaimWhoseLockNobodyHolds_IsDeadAndRemoved()
    {
        // What a Berth killed with SIGKILL leaves: its files, with no lock held.
        File.WriteAllText(Path.Combine(_dir, "999-dead.json"), """{"Pid":999,"DataDir":"/dead","Ranges":[],"Names":[]}""");
        File.WriteAllText(Path.Combine(_dir, "999-dead.lock"), "");

        Assert.Empty(MachineClaims.ReadLive());
        Assert.False(File.Exists(Path.Combine(_dir, "999-dead.json")));
    }

    [Fact]
    public void Claim_DecisionThrows_NothingIsRecorded()
    {
        Assert.Throws<ClaimException>(() => MachineClaims.Claim(_ => throw new ClaimException("no")));

        Assert.Empty(MachineClaims.ReadLive());
    }

    public void Dispose()
    {
        MachineClaims.Directory = _previous;
        Directory.Delete(_dir, recursive: true);
    }
}
