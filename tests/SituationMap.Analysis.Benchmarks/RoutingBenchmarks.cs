using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Benchmarks;

/// <summary>
/// Routing on the real Liechtenstein road graph (OSM 2013, ../shared/geodata-external/osm-liechtenstein seen from the
/// repository root, or SITUATIONMAP_GEODATA_EXTERNAL): graph build from the .pbf and contraction-hierarchy
/// preprocessing (reported separately); 60 units → 1 incident by car (hierarchy, and one backward Dijkstra for
/// comparison), goal &lt; 20 ms; 1/3/5-minute car isochrones for 60 units, goal &lt; 300 ms (with and without the
/// polygons). Units and incidents are random points snapped to the car graph (fixed seeds).
/// </summary>
public class RoutingBenchmarks
{
    private string _pbf = "";
    private RoadGraph _graph = null!;
    private ContractionHierarchy _car = null!;
    private List<RoadPosition> _units = [];
    private RoadPosition[] _incidents = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _pbf = LocatePbf();
        _graph = OsmRoadReader.BuildGraph(_pbf);
        _car = ContractionHierarchy.Build(_graph, TravelMode.Car);
        var random = new Random(71);
        var extent = new Envelope();
        foreach (var node in _graph.Nodes) extent.ExpandToInclude(node);
        RoadPosition Random()
        {
            while (true)
            {
                var p = new Coordinate(extent.MinX + random.NextDouble() * extent.Width, extent.MinY + random.NextDouble() * extent.Height);
                if (_graph.Snap(p, TravelMode.Car, 300) is { } position) return position;
            }
        }
        _units = [.. Enumerable.Range(0, 60).Select(_ => Random())];
        _incidents = [.. Enumerable.Range(0, 64).Select(_ => Random())];
        Console.WriteLine($"// {_graph.NodeCount} nodes, {_graph.EdgeCount} edges; car hierarchy {_car.ShortcutCount} shortcuts");
    }

    [Benchmark(Description = "Graph from the Liechtenstein .pbf (read, project, split)")]
    public RoadGraph BuildGraph() => OsmRoadReader.BuildGraph(_pbf);

    [Benchmark(Description = "Car contraction hierarchy preprocessing")]
    public ContractionHierarchy BuildHierarchy() => ContractionHierarchy.Build(_graph, TravelMode.Car);

    [Benchmark(Description = "60 units → 1 incident, contraction hierarchy")]
    public double[] UnitsToIncident() => _car.TravelTimesTo(_units, _incidents[_next++ & 63]);

    [Benchmark(Description = "60 units → 1 incident, one backward Dijkstra (reference)")]
    public double[] UnitsToIncidentDijkstra()
    {
        var incident = _incidents[_next++ & 63];
        var tree = Dijkstra.Search(_graph, TravelMode.Car, _graph.Arrivals(incident, TravelMode.Car), backward: true);
        return [.. _units.Select(u => Math.Min(_graph.SameEdgeTime(u, incident, TravelMode.Car),
            _graph.Departures(u, TravelMode.Car).Min(d => d.Seconds + tree.Seconds[d.Node])))];
    }

    [Benchmark(Description = "1/3/5-minute isochrones of 60 units, with polygons")]
    public IReadOnlyList<IsochroneBand> IsochronePolygons() => Isochrones.Compute(_graph, TravelMode.Car, _units, [60, 180, 300]);

    [Benchmark(Description = "1/3/5-minute isochrones of 60 units, reach only")]
    public IReadOnlyList<IsochroneBand> IsochroneReach() => Isochrones.Compute(_graph, TravelMode.Car, _units, [60, 180, 300], polygons: false);

    /// <summary>The Liechtenstein extract (also for <see cref="PgRoutingComparison"/>).</summary>
    internal static string LocatePbf()
    {
        var root = Environment.GetEnvironmentVariable("SITUATIONMAP_GEODATA_EXTERNAL");
        if (string.IsNullOrEmpty(root))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SituationMap.sln")))
                {
                    root = Path.Combine(dir.FullName, "..", "shared", "geodata-external");
                    break;
                }
            }
        }
        var path = Path.Combine(root ?? "", "osm-liechtenstein", "liechtenstein-2013-08-03.osm.pbf");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The Liechtenstein extract is absent ({path}); set SITUATIONMAP_GEODATA_EXTERNAL.", path);
    }
}
