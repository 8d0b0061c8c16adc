using NetTopologySuite.Geometries;
using OsmSharp;
using OsmSharp.Streams;
using OsmSharp.Tags;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Analysis.Routing;

/// <summary>
/// Reads the roads of an OpenStreetMap extract (.osm.pbf, through OsmSharp): ways with a <c>highway</c> tag of a road
/// class (<see cref="RoadProfile.IsRoad"/>), except <c>area=yes</c>, with their node ids (so the graph joins them at
/// shared nodes), <c>oneway</c>, <c>junction</c>, <c>maxspeed</c>, <c>name</c> and access restrictions
/// (<c>access=no|private</c> forbids every mode unless <c>foot</c>/<c>bicycle</c>/<c>motor_vehicle</c>/<c>motorcar</c>
/// say <c>yes|designated|permissive</c>; <c>foot=no</c>, <c>bicycle=no</c>, <c>motor_vehicle=no</c>, <c>motorcar=no</c>
/// forbid one mode). Coordinates are projected to the UTM zone of the roads' extent (<see cref="MetricProjection"/>).
/// Ways whose nodes are missing from the extract are cut at the missing nodes.
/// <para><b>Cost:</b> one pass over the file; memory O(nodes in the file) for the node positions.</para>
/// </summary>
public static class OsmRoadReader
{
    /// <summary>The roads of a .osm.pbf file and the projection their coordinates are in.</summary>
    public static (IReadOnlyList<RoadLine> Roads, MetricProjection Projection) ReadPbf(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(new PBFOsmStreamSource(stream));
    }

    /// <summary>The roads of an OSM XML stream (e.g. a decompressed .osm file).</summary>
    public static (IReadOnlyList<RoadLine> Roads, MetricProjection Projection) ReadXml(Stream stream) =>
        Read(new XmlOsmStreamSource(stream));

    /// <summary>The roads of an OSM file by its name: <c>.osm.pbf</c>, <c>.osm</c> (XML) or <c>.osm.bz2</c> (bzip2 XML).</summary>
    public static (IReadOnlyList<RoadLine> Roads, MetricProjection Projection) Read(string path)
    {
        if (path.EndsWith(".pbf", StringComparison.OrdinalIgnoreCase)) return ReadPbf(path);
        using var file = File.OpenRead(path);
        if (path.EndsWith(".bz2", StringComparison.OrdinalIgnoreCase))
        {
            using var xml = new ICSharpCode.SharpZipLib.BZip2.BZip2InputStream(file);
            return ReadXml(xml);
        }
        if (path.EndsWith(".osm", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) return ReadXml(file);
        throw new ArgumentException($"{Path.GetFileName(path)}: not an OSM file (.osm.pbf, .osm or .osm.bz2).", nameof(path));
    }

    /// <summary>The road graph of an OSM file (<c>.osm.pbf</c>, <c>.osm</c> or <c>.osm.bz2</c>).</summary>
    public static RoadGraph BuildGraph(string path)
    {
        var (roads, projection) = Read(path);
        return RoadGraph.Build(roads, projection);
    }

    private static (IReadOnlyList<RoadLine>, MetricProjection) Read(OsmStreamSource source)
    {
        var nodes = new Dictionary<long, (double Lon, double Lat)>();
        var ways = new List<(long[] Nodes, TagsCollectionBase Tags)>();
        foreach (var element in source)
        {
            switch (element)
            {
                case Node { Id: { } id, Longitude: { } lon, Latitude: { } lat }:
                    nodes[id] = (lon, lat);
                    break;
                case Way { Nodes: { Length: >= 2 } wayNodes, Tags: { } tags } when tags.TryGetValue("highway", out var highway)
                    && RoadProfile.IsRoad(highway) && !tags.Contains("area", "yes"):
                    ways.Add((wayNodes, tags));
                    break;
            }
        }
        var extent = new Envelope();
        foreach (var (ids, _) in ways)
        {
            foreach (var id in ids) if (nodes.TryGetValue(id, out var p)) extent.ExpandToInclude(p.Lon, p.Lat);
        }
        if (extent.IsNull) throw new InvalidDataException("The extract has no roads.");
        var projection = MetricProjection.ForExtent(extent);
        var metric = new Dictionary<long, Coordinate>();
        var roads = new List<RoadLine>();
        foreach (var (ids, tags) in ways)
        {
            var piece = new List<long>();
            void Flush()
            {
                if (piece.Count >= 2) roads.Add(Line(piece, tags, metric));
                piece.Clear();
            }
            foreach (var id in ids)
            {
                if (!nodes.TryGetValue(id, out var p)) { Flush(); continue; }
                if (!metric.ContainsKey(id)) metric[id] = projection.ToMetric(p.Lon, p.Lat);
                piece.Add(id);
            }
            Flush();
        }
        return (roads, projection);
    }

    private static RoadLine Line(List<long> ids, TagsCollectionBase tags, Dictionary<long, Coordinate> metric)
    {
        string? Tag(string key) => tags.TryGetValue(key, out var value) ? value : null;
        static bool Yes(string? v) => v is "yes" or "designated" or "permissive";
        var forbidden = TravelModes.None;
        if (Tag("access") is "no" or "private")
        {
            if (!Yes(Tag("motor_vehicle")) && !Yes(Tag("motorcar"))) forbidden |= TravelModes.Car;
            if (!Yes(Tag("bicycle"))) forbidden |= TravelModes.Bicycle;
            if (!Yes(Tag("foot"))) forbidden |= TravelModes.Foot;
        }
        if (Tag("motor_vehicle") is "no" or "private" || Tag("motorcar") is "no" or "private") forbidden |= TravelModes.Car;
        if (Tag("bicycle") is "no" or "private") forbidden |= TravelModes.Bicycle;
        if (Tag("foot") is "no" or "private") forbidden |= TravelModes.Foot;
        return new RoadLine([.. ids.Select(id => metric[id])], Tag("highway")!, Tag("oneway"), Tag("maxspeed"), Tag("name"),
            Tag("junction"), forbidden, [.. ids]);
    }
}
