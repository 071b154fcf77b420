using System.Text;
using Berth.Dns.Wire;
using Berth.Dns.Zone;
using k8s;
using k8s.Models;

namespace Berth.Dns.Tests.Zone;

/// <summary>
/// The zone rules pinned by golden files: <c>testdata/&lt;case&gt;/objects.yaml</c> (Namespaces, Services,
/// EndpointSlices) and <c>queries.txt</c> (<c>name TYPE</c> per line) in, <c>answers.txt</c> out — the pure function
/// <see cref="ZoneIndex.Build"/> + <see cref="ZoneResolver.Resolve"/>, no server. <c>BERTH_UPDATE_GOLDEN=1</c> rewrites
/// the answers (review the diff).
/// </summary>
public sealed class ZoneGoldenTests
{
    public static TheoryData<string> Cases => new(Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "testdata")).Select(Path.GetFileName).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Zone_AnswersAsTheGoldenFileSays(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "testdata", name);
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(dir, "objects.yaml")));
        var zone = ZoneIndex.Build(
            new ZoneConfig("cluster.local", 5, 1),
            objects.OfType<V1Service>(),
            objects.OfType<V1EndpointSlice>(),
            objects.OfType<V1Namespace>().Select(n => n.Metadata.Name));

        var actual = new StringBuilder();
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "queries.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var (query, type) = (line.Split(' ')[0], Enum.Parse<RecordType>(line.Split(' ')[1]));
            actual.Append(";; ").Append(line).Append('\n').Append(Format(ZoneResolver.Resolve(zone, query.ToLowerInvariant(), type))).Append('\n');
        }

        var golden = Path.Combine(dir, "answers.txt");
        if (Environment.GetEnvironmentVariable("BERTH_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDir(), "testdata", name, "answers.txt"), actual.ToString());
        }

        Assert.Equal(File.Exists(golden) ? File.ReadAllText(golden) : "", actual.ToString());
    }

    private static string Format(ZoneAnswer? answer)
    {
        if (answer is null)
        {
            return "forward\n";
        }

        var text = new StringBuilder().Append(answer.Rcode.ToString().ToUpperInvariant()).Append('\n');
        foreach (var (section, records) in (ReadOnlySpan<(string, IReadOnlyList<ResourceRecord>)>)[("answer", answer.Answer), ("authority", answer.Authority), ("additional", answer.Additional)])
        {
            foreach (var record in records)
            {
                text.Append(section).Append('\t').Append(record).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string SourceDir([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
