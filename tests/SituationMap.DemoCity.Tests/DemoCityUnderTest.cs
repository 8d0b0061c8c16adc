using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;

namespace SituationMap.DemoCity.Tests;

/// <summary>The default demo city and its default year of incidents, generated once for all test classes.</summary>
internal static class DemoCityUnderTest
{
    public static readonly DemoCityOptions Options = new();

    /// <summary>UTM zone 50N, the metric plane of the demo city.</summary>
    public static readonly MetricProjection Projection = MetricProjection.ForLocation(114.9, 40.8);

    private static readonly Lazy<DemoCityLayers> LazyLayers = new(() => DemoCityGenerator.GenerateLayers(Options));

    private static readonly Lazy<IReadOnlyList<DemoIncident>> LazyIncidents =
        new(() => DemoCityGenerator.GenerateIncidents(Options, Layers).ToList());

    private static readonly Lazy<Geometry> LazyCity = new(() =>
        Wgs84.Factory.BuildGeometry(Layers.Districts.Select(d => (Geometry)d.Area).ToArray()).Union());

    public static DemoCityLayers Layers => LazyLayers.Value;

    /// <summary>The 100,000 incidents of the default options, in stream order.</summary>
    public static IReadOnlyList<DemoIncident> Incidents => LazyIncidents.Value;

    /// <summary>The union of all districts (WGS84).</summary>
    public static Geometry City => LazyCity.Value;

    public static T Metric<T>(T wgs84) where T : Geometry => Projection.ToMetric(wgs84);

    /// <summary>The folder holding SituationMap.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SituationMap.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No SituationMap.sln above {AppContext.BaseDirectory}.");
    }

    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "situationmap-demo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
