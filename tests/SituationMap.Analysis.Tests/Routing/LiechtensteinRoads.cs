using SituationMap.Analysis.Routing;
using SituationMap.Analysis.Tests.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>
/// The Liechtenstein OSM extract (../shared/geodata-external/osm-liechtenstein) as a road graph, read once per test run,
/// with the car contraction hierarchy. Null (and a SKIPPED line) when the data are absent.
/// </summary>
internal static class LiechtensteinRoads
{
    public const string File = "liechtenstein-2013-08-03.osm.pbf";

    private static readonly Lazy<(RoadGraph Graph, ContractionHierarchy Car)?> Loaded = new(() =>
    {
        if (ExternalData.Locate("osm-liechtenstein").Path is not { } folder) return null;
        var graph = OsmRoadReader.BuildGraph(Path.Combine(folder, File));
        return (graph, ContractionHierarchy.Build(graph, TravelMode.Car));
    });

    public static (RoadGraph Graph, ContractionHierarchy Car)? Get(ITestOutputHelper output)
    {
        var (path, reason) = ExternalData.Locate("osm-liechtenstein");
        if (path is null)
        {
            output.WriteLine(reason);
            return null;
        }
        return Loaded.Value;
    }
}
