using System.Text.Json;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>
/// The demo city's roads layer (geodata/demo-city/roads.geojson in this repository: class, one_way, max_speed_kmh) joined at
/// identical coordinates into one routable network.
/// </summary>
public sealed class DemoCityRoadsTests
{
    private static (RoadGraph Graph, int Roads, int OneWay) Build()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "SituationMap.sln"))) dir = dir.Parent;
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.FullName, "geodata", "demo-city", "roads.geojson")));
        var features = document.RootElement.GetProperty("features").EnumerateArray().ToList();
        var wgs84 = features.Select(f => f.GetProperty("geometry").GetProperty("coordinates").EnumerateArray()
            .Select(c => (Lon: c[0].GetDouble(), Lat: c[1].GetDouble())).ToList()).ToList();
        var first = wgs84[0][0];
        var projection = MetricProjection.ForLocation(first.Lon, first.Lat);
        var lines = features.Select((f, i) =>
        {
            var p = f.GetProperty("properties");
            return RoadLine.FromLayer([.. wgs84[i].Select(c => projection.ToMetric(c.Lon, c.Lat))], p.GetProperty("class").GetString()!,
                p.GetProperty("one_way").GetBoolean(), p.GetProperty("max_speed_kmh").GetDouble(), p.GetProperty("name_en").GetString());
        }).ToList();
        return (RoadGraph.Build(lines, projection), lines.Count, lines.Count(l => l.OneWay == "yes"));
    }

    [Fact]
    public void TheDemoCityRoadsFormOneStronglyConnectedCarNetwork()
    {
        var (graph, roads, oneWay) = Build();
        Assert.True(roads > 100);
        Assert.Equal(50, graph.Projection!.UtmZone);
        // Every node reaches node 0 by car, and node 0 reaches every node except those no car arc enters: the generated
        // city has two one-way lanes (Fengwang Hutong, Huaquan Hutong) that start at a dead end, which cars can leave only.
        Assert.All(Dijkstra.Search(graph, TravelMode.Car, [(0, 0)], backward: true).Seconds, s => Assert.True(double.IsFinite(s)));
        var reached = Dijkstra.Search(graph, TravelMode.Car, [(0, 0)]).Seconds;
        var entered = graph.In(TravelMode.Car);
        var noWayIn = Enumerable.Range(0, graph.NodeCount).Where(v => entered.First[v + 1] == entered.First[v]).ToList();
        Assert.Equal(noWayIn, Enumerable.Range(0, graph.NodeCount).Where(v => !double.IsFinite(reached[v])));
        Assert.InRange(noWayIn.Count, 0, 2);
        // Pedestrians walk at 5 km/h everywhere; cars are never faster than the trunk limit (80 km/h).
        var fastest = Enumerable.Range(0, graph.EdgeCount).Max(e => graph.EdgeLength[e] / graph.ForwardTime(TravelMode.Foot, e));
        Assert.Equal(5 / 3.6, fastest, 1e-9);
        Assert.True(Enumerable.Range(0, graph.EdgeCount).All(e =>
            graph.EdgeLength[e] / Math.Min(graph.ForwardTime(TravelMode.Car, e), graph.BackwardTime(TravelMode.Car, e)) <= 80 / 3.6 + 1e-9));
        Assert.True(oneWay > 0);
        Assert.True(Enumerable.Range(0, graph.EdgeCount).Count(e => double.IsPositiveInfinity(graph.BackwardTime(TravelMode.Car, e))) >= oneWay);
    }
}
