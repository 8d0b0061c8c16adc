using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Infrastructure.GeoJson;

/// <summary>
/// Reads an RFC 7946 GeoJSON geometry (WGS84 longitude, latitude) and says precisely what is wrong and where:
/// every position is checked (2 or 3 finite numbers, longitude in [-180, 180], latitude in [-90, 90]), rings must be
/// closed with at least 4 positions, lines need 2 distinct positions, and polygons must be valid (OGC simple features;
/// a self-intersection is reported with its location). Cost: O(n) to read, O(n log n) for the validity check.
/// </summary>
public static class GeoJsonGeometryReader
{
    public static Geometry? Read(JsonElement json, string pointer, GeometryRule rule, ProblemCollector problems)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            problems.Add(pointer, $"a geometry is required ({Accepted(rule)}).");
            return null;
        }
        if (json.ValueKind != JsonValueKind.Object)
        {
            problems.Add(pointer, $"must be a GeoJSON geometry object, not {Kind(json)}.");
            return null;
        }
        if (json.TryGetProperty("crs", out var crs) && !IsWgs84Crs(crs))
        {
            problems.Add(pointer + "/crs", "only WGS84 longitude/latitude is accepted (RFC 7946); leave out \"crs\" or use EPSG:4326 / CRS84.");
            return null;
        }
        if (!json.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            problems.Add(pointer + "/type", $"a geometry needs a \"type\" ({Accepted(rule)}).");
            return null;
        }
        var type = typeElement.GetString()!;
        if (!rule.AcceptedTypes.Contains(type, StringComparer.Ordinal))
        {
            problems.Add(pointer + "/type", $"\"{Truncate(type)}\" is not accepted here; this layer takes {Accepted(rule)}.");
            return null;
        }
        if (!json.TryGetProperty("coordinates", out var coords))
        {
            problems.Add(pointer + "/coordinates", "missing.");
            return null;
        }
        var reader = new Reader(problems, rule.MaxVertices);
        var geometry = reader.ReadTyped(type, coords, pointer + "/coordinates");
        if (geometry is null || problems.Any) return null;
        if (geometry.IsEmpty)
        {
            problems.Add(pointer + "/coordinates", "the geometry is empty.");
            return null;
        }
        var validity = new IsValidOp(geometry).ValidationError;
        if (validity is not null)
        {
            var at = validity.Coordinate is { } c
                ? string.Create(CultureInfo.InvariantCulture, $" at ({c.X:0.#######}, {c.Y:0.#######})")
                : "";
            problems.Add(pointer, $"invalid geometry: {validity.Message.ToLowerInvariant()}{at}.");
            return null;
        }
        return rule.Normalise(geometry);
    }

    private static string Accepted(GeometryRule rule) => string.Join(" or ", rule.AcceptedTypes);

    private static bool IsWgs84Crs(JsonElement crs) =>
        crs.ValueKind == JsonValueKind.Object
        && crs.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
        && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
        && n.GetString() is "EPSG:4326" or "urn:ogc:def:crs:OGC:1.3:CRS84" or "urn:ogc:def:crs:EPSG::4326" or "OGC:CRS84";

    internal static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private sealed class Reader(ProblemCollector problems, int maxVertices)
    {
        private readonly GeometryFactory _factory = Wgs84.Factory;
        private int _vertices;

        public Geometry? ReadTyped(string type, JsonElement c, string at) => type switch
        {
            "Point" => Position(c, at) is { } p ? _factory.CreatePoint(p) : null,
            "MultiPoint" => Many(c, at, Position) is { } ps ? _factory.CreateMultiPointFromCoords(ps) : null,
            "LineString" => Line(c, at),
            "MultiLineString" => Many(c, at, Line) is { } ls ? _factory.CreateMultiLineString(ls) : null,
            "Polygon" => Polygon(c, at),
            "MultiPolygon" => Many(c, at, Polygon) is { } pgs ? _factory.CreateMultiPolygon(pgs) : null,
            _ => null,
        };

        private T[]? Many<T>(JsonElement c, string at, Func<JsonElement, string, T?> read) where T : class
        {
            if (c.ValueKind != JsonValueKind.Array)
            {
                problems.Add(at, $"must be an array, not {Kind(c)}.");
                return null;
            }
            var result = new List<T>(c.GetArrayLength());
            var i = 0;
            foreach (var item in c.EnumerateArray())
            {
                if (read(item, $"{at}/{i}") is { } value) result.Add(value);
                if (problems.IsFull || _vertices > maxVertices) return null;
                i++;
            }
            return problems.Any ? null : result.ToArray();
        }

        private Coordinate[]? Positions(JsonElement c, string at) => Many(c, at, Position);

        private LineString? Line(JsonElement c, string at)
        {
            var points = Positions(c, at);
            if (points is null) return null;
            if (points.Length < 2 || points.All(p => p.Equals2D(points[0])))
            {
                problems.Add(at, "a line needs at least 2 distinct positions.");
                return null;
            }
            return _factory.CreateLineString(points);
        }

        private Polygon? Polygon(JsonElement c, string at)
        {
            var rings = Many(c, at, Ring);
            if (rings is null) return null;
            if (rings.Length == 0)
            {
                problems.Add(at, "a polygon needs an outer ring.");
                return null;
            }
            return _factory.CreatePolygon(rings[0], rings[1..]);
        }

        private LinearRing? Ring(JsonElement c, string at)
        {
            var points = Positions(c, at);
            if (points is null) return null;
            if (points.Length < 4)
            {
                problems.Add(at, $"a ring needs at least 4 positions (first = last); it has {points.Length}.");
                return null;
            }
            if (!points[0].Equals2D(points[^1]))
            {
                problems.Add(at, $"the ring is not closed: the last position must repeat the first ({Format(points[0])}).");
                return null;
            }
            return _factory.CreateLinearRing(points);
        }

        private Coordinate? Position(JsonElement c, string at)
        {
            if (++_vertices > maxVertices)
            {
                if (_vertices == maxVertices + 1) problems.Add(at, $"too many positions: at most {maxVertices} are accepted per geometry.");
                return null;
            }
            if (c.ValueKind != JsonValueKind.Array)
            {
                problems.Add(at, $"a position must be an array [longitude, latitude], not {Kind(c)}.");
                return null;
            }
            var n = c.GetArrayLength();
            if (n is < 2 or > 3)
            {
                problems.Add(at, $"a position has 2 or 3 numbers [longitude, latitude(, height)]; this one has {n}.");
                return null;
            }
            var lon = Number(c[0], at + "/0");
            var lat = Number(c[1], at + "/1");
            if (n == 3) Number(c[2], at + "/2");
            if (lon is null || lat is null) return null;
            var ok = true;
            if (lon is < -180 or > 180)
            {
                problems.Add(at + "/0", string.Create(CultureInfo.InvariantCulture, $"longitude {lon} is outside [-180, 180]."));
                ok = false;
            }
            if (lat is < -90 or > 90)
            {
                problems.Add(at + "/1", string.Create(CultureInfo.InvariantCulture, $"latitude {lat} is outside [-90, 90]."));
                ok = false;
            }
            return ok ? new Coordinate(lon.Value, lat.Value) : null;
        }

        private double? Number(JsonElement e, string at)
        {
            if (e.ValueKind != JsonValueKind.Number)
            {
                problems.Add(at, $"must be a number, not {Kind(e)}.");
                return null;
            }
            if (!e.TryGetDouble(out var v) || !double.IsFinite(v))
            {
                problems.Add(at, "is not a finite number.");
                return null;
            }
            return v;
        }

        private static string Format(Coordinate c) => string.Create(CultureInfo.InvariantCulture, $"[{c.X}, {c.Y}]");
    }
}
