namespace SituationMap.DemoCity.Tests;

public sealed class DeterminismTests
{
    private static readonly string[] LayerFiles =
        ["districts.geojson", "roads.geojson", "zones.geojson", "cameras.geojson", "patrol_routes.geojson", "patrol_units.geojson", "buildings.geojson"];

    [Fact]
    public void TheSameOptionsGiveByteIdenticalFiles()
    {
        var (a, b) = (DemoCityUnderTest.NewTempDirectory(), DemoCityUnderTest.NewTempDirectory());
        try
        {
            DemoCityExport.WriteAll(new DemoCityOptions(), a);
            DemoCityExport.WriteAll(new DemoCityOptions(), b);
            foreach (var file in DemoCityExport.FileNames)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(a, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, file))), $"{file} differs between two runs");
            }
        }
        finally
        {
            Directory.Delete(a, true);
            Directory.Delete(b, true);
        }
    }

    [Fact]
    public void ADifferentSeedGivesADifferentCity()
    {
        var (a, b) = (DemoCityUnderTest.NewTempDirectory(), DemoCityUnderTest.NewTempDirectory());
        try
        {
            DemoCityExport.WriteAll(new DemoCityOptions(), a);
            DemoCityExport.WriteAll(new DemoCityOptions { Seed = DemoCityOptions.DefaultSeed + 1 }, b);
            foreach (var file in LayerFiles.Append("incidents-sample.csv"))
            {
                Assert.False(File.ReadAllBytes(Path.Combine(a, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, file))), $"{file} did not change with the seed");
            }
        }
        finally
        {
            Directory.Delete(a, true);
            Directory.Delete(b, true);
        }
    }

    [Fact]
    public void ChangingTheIncidentCountLeavesEveryOtherLayerUnchanged()
    {
        var (a, b) = (DemoCityUnderTest.NewTempDirectory(), DemoCityUnderTest.NewTempDirectory());
        try
        {
            DemoCityExport.WriteAll(new DemoCityOptions(), a);
            DemoCityExport.WriteAll(new DemoCityOptions { IncidentCount = 7_000 }, b);
            foreach (var file in LayerFiles)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(a, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, file))), $"{file} changed with the incident count");
            }
            Assert.False(File.ReadAllBytes(Path.Combine(a, "incidents-sample.csv")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, "incidents-sample.csv"))));
        }
        finally
        {
            Directory.Delete(a, true);
            Directory.Delete(b, true);
        }
    }

    [Fact]
    public void TheIncidentStreamRepeatsItselfForTheSameOptionsAndLayers()
    {
        var options = new DemoCityOptions { IncidentCount = 20_000 };
        var layers = DemoCityUnderTest.Layers;
        var first = DemoCityGenerator.GenerateIncidents(options, layers).ToList();
        var second = DemoCityGenerator.GenerateIncidents(options, layers).ToList();
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            var (x, y) = (first[i], second[i]);
            Assert.True(
                x.ExternalId == y.ExternalId && x.Category == y.Category && x.Severity == y.Severity && x.Status == y.Status
                && x.OccurredAt == y.OccurredAt && x.ReportedAt == y.ReportedAt && x.Location.EqualsExact(y.Location)
                && x.Address == y.Address && x.DistrictCode == y.DistrictCode && x.Description == y.Description,
                $"incident {i} differs between two enumerations");
        }
    }
}
