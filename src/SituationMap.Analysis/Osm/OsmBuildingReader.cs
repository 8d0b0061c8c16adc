using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Polygonize;
using OsmSharp;
using OsmSharp.Streams;
using OsmSharp.Tags;

namespace SituationMap.Analysis.Osm;

/// <summary>
/// One building of an OpenStreetMap extract: <paramref name="Ref"/> is "w" + way id or "r" + relation id (osmium's
/// notation), <paramref name="Building"/> the building=* value (yes, house, apartments…), <paramref name="Levels"/> from
/// building:levels, <paramref name="HeightM"/> from height (metres) or else levels × 3 m, the footprint in WGS84
/// (lon, lat, SRID 4326, 7 decimals ≈ 1 cm).
/// </summary>
public sealed record OsmBuilding(string Ref, string Building, int? Levels, double? HeightM, MultiPolygon Footprint);

/// <summary>
/// Reads the building footprints of an OpenStreetMap extract (.osm.pbf, .osm or .osm.bz2, through OsmSharp): closed
/// ways tagged building=* (not building=no) and multipolygon relations tagged building=*, whose outer and inner member
/// ways are joined into rings (NTS Polygonizer) — outers minus inners. Footprints with nodes missing from the extract
/// are skipped; invalid rings (self-touching, bow-ties) are repaired with NTS's GeometryFixer.
/// <para><b>Cost:</b> one pass over the file; memory O(nodes + way nodes) for the node positions and the member ways
/// a relation may need (OSM files list relations last).</para>
/// </summary>
public static class OsmBuildingReader
{
    /// <summary>The storey height used when only building:levels is known.</summary>
    public const double MetresPerLevel = 3;

    private static readonly GeometryFactory Factory = Geometry.Wgs84.Factory;

    public static IReadOnlyList<OsmBuilding> Read(string path) => OsmFile.Read(path, Read);

    public static IReadOnlyList<OsmBuilding> Read(OsmStreamSource source)
    {
        var nodes = new Dictionary<long, Coordinate>();
        var ways = new Dictionary<long, long[]>();
        var fromRelations = new List<OsmBuilding>();
        var buildingWays = new List<(long Id, TagsCollectionBase Tags)>();
        foreach (var element in source)
        {
            switch (element)
            {
                case Node { Id: { } id, Longitude: { } lon, Latitude: { } lat }:
                    nodes[id] = new Coordinate(Math.Round(lon, 7), Math.Round(lat, 7));
                    break;
                case Way { Id: { } id, Nodes: { Length: >= 2 } wayNodes } way:
                    ways[id] = wayNodes;
                    if (BuildingTag(way.Tags) is not null) buildingWays.Add((id, way.Tags));
                    break;
                case Relation { Id: { } id, Members: { } members, Tags: { } tags } when tags.Contains("type", "multipolygon") && BuildingTag(tags) is { } value:
                    if (RelationFootprint(members, ways, nodes) is { } footprint) fromRelations.Add(Building("r" + id.ToString(CultureInfo.InvariantCulture), value, tags, footprint));
                    break;
            }
        }
        var buildings = new List<OsmBuilding>();
        foreach (var (id, tags) in buildingWays)
        {
            var ids = ways[id];
            if (ids.Length < 4 || ids[0] != ids[^1]) continue;
            var ring = Ring(ids, nodes);
            if (ring is null) continue;
            if (Polygonal(Factory.CreatePolygon(ring)) is { } footprint) buildings.Add(Building("w" + id.ToString(CultureInfo.InvariantCulture), BuildingTag(tags)!, tags, footprint));
        }
        buildings.AddRange(fromRelations);
        return buildings;
    }

    /// <summary>The building=* value when the element is a building (building=no is not).</summary>
    private static string? BuildingTag(TagsCollectionBase? tags) =>
        tags is not null && tags.TryGetValue("building", out var value) && value is { Length: > 0 } && value != "no" ? value : null;

    private static OsmBuilding Building(string reference, string value, TagsCollectionBase tags, MultiPolygon footprint)
    {
        var levels = ParseLevels(tags.TryGetValue("building:levels", out var l) ? l : null);
        var height = ParseHeight(tags.TryGetValue("height", out var h) ? h : null) ?? (levels is > 0 ? levels * MetresPerLevel : null);
        return new OsmBuilding(reference, value, levels, height, footprint);
    }

    /// <summary>building:levels: a whole number 0–200 ("3", "2.5" → 3); anything else is unknown.</summary>
    public static int? ParseLevels(string? value) =>
        double.TryParse(value?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 200
            ? (int)Math.Round(v, MidpointRounding.AwayFromZero)
            : null;

    /// <summary>height: metres, optionally with "m" ("12", "12.5 m"), in (0, 1000]; feet and other units are unknown.</summary>
    public static double? ParseHeight(string? value)
    {
        if (value is null) return null;
        var text = value.Trim();
        if (text.EndsWith('m')) text = text[..^1].TrimEnd();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is > 0 and <= 1000 ? v : null;
    }

    private static Coordinate[]? Ring(long[] ids, Dictionary<long, Coordinate> nodes)
    {
        var ring = new Coordinate[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!nodes.TryGetValue(ids[i], out var c)) return null;
            ring[i] = c.Copy();
        }
        return ring;
    }

    private static MultiPolygon? RelationFootprint(RelationMember[] members, Dictionary<long, long[]> ways, Dictionary<long, Coordinate> nodes)
    {
        var outer = new Polygonizer();
        var inner = new Polygonizer();
        var outers = 0;
        foreach (var member in members)
        {
            if (member.Type != OsmGeoType.Way) continue;
            if (!ways.TryGetValue(member.Id, out var ids) || Ring(ids, nodes) is not { } line) return null; // incomplete in the extract
            var lineString = Factory.CreateLineString(line);
            if (member.Role == "inner") inner.Add(lineString);
            else
            {
                outer.Add(lineString);
                outers++;
            }
        }
        if (outers == 0) return null;
        var area = Factory.BuildGeometry(outer.GetPolygons().Select(p => (NetTopologySuite.Geometries.Geometry)p).ToList()).Union();
        var holes = inner.GetPolygons();
        if (holes.Count > 0) area = area.Difference(Factory.BuildGeometry(holes.Select(p => (NetTopologySuite.Geometries.Geometry)p).ToList()).Union());
        return Polygonal(area);
    }

    /// <summary>The polygonal part of a geometry as a valid MultiPolygon; null when nothing with area is left.</summary>
    private static MultiPolygon? Polygonal(NetTopologySuite.Geometries.Geometry geometry)
    {
        if (!geometry.IsValid) geometry = GeometryFixer.Fix(geometry);
        var polygons = Enumerable.Range(0, geometry.NumGeometries).Select(geometry.GetGeometryN).OfType<Polygon>().Where(p => p.Area > 0).ToArray();
        return polygons.Length == 0 ? null : Factory.CreateMultiPolygon(polygons);
    }
}
