using System.Text;
using SituationMap.Analysis.Routing;
using SituationMap.Analysis.Tests.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>Reading OSM tags into road lines (a small inline OSM XML document; the .pbf path is covered by the Liechtenstein tests).</summary>
public sealed class OsmRoadReaderTests(ITestOutputHelper output)
{
    private const string Document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <osm version="0.6">
          <node id="1" lat="47.1400" lon="9.5200"/>
          <node id="2" lat="47.1400" lon="9.5300"/>
          <node id="3" lat="47.1500" lon="9.5300"/>
          <node id="4" lat="47.1500" lon="9.5200"/>
          <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="maxspeed" v="30 mph"/><tag k="name" v="Landstrasse"/></way>
          <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="oneway" v="-1"/></way>
          <way id="12"><nd ref="3"/><nd ref="4"/><tag k="highway" v="service"/><tag k="access" v="private"/><tag k="foot" v="yes"/></way>
          <way id="13"><nd ref="4"/><nd ref="1"/><tag k="highway" v="pedestrian"/><tag k="area" v="yes"/></way>
          <way id="14"><nd ref="4"/><nd ref="99"/><nd ref="1"/><tag k="highway" v="footway"/></way>
          <way id="15"><nd ref="1"/><nd ref="3"/><tag k="building" v="yes"/></way>
          <way id="16"><nd ref="1"/><nd ref="3"/><tag k="highway" v="proposed"/></way>
        </osm>
        """;

    [Fact]
    public void HighwayWaysAreReadWithTheirTagsAndEverythingElseIsLeftOut()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Document));
        var (roads, projection) = OsmRoadReader.ReadXml(stream);
        Assert.Equal(32, projection.UtmZone);
        // 10, 11, 12; 13 is an area; 14 loses its missing node 99 and is cut into two one-node pieces (dropped); 15 and 16 are not roads.
        Assert.Equal(["primary", "residential", "service"], roads.Select(r => r.Highway));
        Assert.Equal("30 mph", roads[0].MaxSpeed);
        Assert.Equal("Landstrasse", roads[0].Name);
        Assert.Equal("-1", roads[1].OneWay);
        Assert.Equal(TravelModes.Car | TravelModes.Bicycle, roads[2].Forbidden);
        Assert.Equal([2L, 3L], roads[1].NodeIds!);
        // 0.01° of longitude at 47.14° N is about 758 m.
        Assert.InRange(roads[0].Coordinates[0].Distance(roads[0].Coordinates[1]), 750, 766);
        var graph = RoadGraph.Build(roads, projection);
        Assert.Equal(4, graph.NodeCount);
        // Car: primary at 48.28 km/h; the residential street may only be driven 3 -> 2; the private service road not at all.
        Assert.Equal(roads[0].Coordinates[0].Distance(roads[0].Coordinates[1]) / (30 * 1.609344 / 3.6), graph.ForwardTime(TravelMode.Car, 0), 1e-9);
        Assert.True(double.IsPositiveInfinity(graph.ForwardTime(TravelMode.Car, 1)));
        Assert.True(double.IsFinite(graph.BackwardTime(TravelMode.Car, 1)));
        Assert.True(double.IsPositiveInfinity(graph.ForwardTime(TravelMode.Car, 2)));
        Assert.True(double.IsFinite(graph.ForwardTime(TravelMode.Foot, 2)));
    }

    [Fact]
    public void BzippedOsmXmlIsReadAndItsHierarchyEqualsDijkstraOnAllPairs()
    {
        // West Oakland (OSMnx's test extract, bzip2-compressed OSM XML; ../shared/geodata-external/osm-west-oakland)
        var (folder, reason) = ExternalData.Locate("osm-west-oakland");
        if (folder is null)
        {
            output.WriteLine(reason);
            return;
        }
        var graph = OsmRoadReader.BuildGraph(Path.Combine(folder, "West-Oakland.osm.bz2"));
        Assert.Equal(10, graph.Projection!.UtmZone);
        Assert.True(graph.NodeCount > 20, $"{graph.NodeCount} nodes");
        output.WriteLine($"West Oakland: {graph.NodeCount} nodes, {graph.EdgeCount} edges");
        foreach (var mode in new[] { TravelMode.Car, TravelMode.Foot })
        {
            var ch = ContractionHierarchy.Build(graph, mode);
            for (var s = 0; s < graph.NodeCount; s++)
            {
                var tree = Dijkstra.Search(graph, mode, [(s, 0)]);
                for (var t = 0; t < graph.NodeCount; t++)
                {
                    var expected = tree.Seconds[t];
                    var actual = ch.TravelTime(s, t);
                    if (double.IsPositiveInfinity(expected)) Assert.True(double.IsPositiveInfinity(actual));
                    else Assert.Equal(expected, actual, 1e-6);
                }
            }
        }
        Assert.Throws<ArgumentException>(() => OsmRoadReader.Read(Path.Combine(folder, "SOURCE.md")));
    }
}
