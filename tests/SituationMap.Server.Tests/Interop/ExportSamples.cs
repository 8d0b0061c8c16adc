using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Tests.Interop;

/// <summary>Small layers with one field of every kind (including a long name and a clash after truncation to 10 characters), for writer/reader round trips.</summary>
public static class ExportSamples
{
    public static readonly ExportLayer Points = new("sample_points", "Point",
    [
        new("name", FieldKind.Text), new("severity", FieldKind.Integer), new("coverage_target", FieldKind.Real),
        new("active", FieldKind.Boolean), new("occurred_at", FieldKind.DateTime), new("occurred_after", FieldKind.Text),
    ]);

    public static readonly ExportLayer Areas = Points with { Name = "sample_areas", GeometryType = "MultiPolygon" };

    public static readonly DateTimeOffset Instant = new(2026, 3, 1, 8, 15, 30, 250, TimeSpan.Zero);

    /// <summary>Three features: Chinese text with a comma and quotes, a null in every column but the name, a large id and negative numbers.</summary>
    public static IReadOnlyList<ExportFeature> PointFeatures() =>
    [
        new(1, Wgs84.Point(118.123456789, 41.987654321), ["西区 \"东门\", 路口", 3L, 0.75, true, Instant, "after"]),
        new(2, Wgs84.Point(-0.5, -33.25), ["second", null, null, null, null, null]),
        new(9_000_000_001, Wgs84.Point(179.999999, 89.5), ["third", -7L, -12.5, false, Instant.AddDays(-400), ""]),
    ];

    public static IReadOnlyList<ExportFeature> AreaFeatures() =>
    [
        new(10, Square(118.0, 41.0, 0.01, hole: true), ["with hole", 1L, 1.5, true, Instant, "a"]),
        new(11, Wgs84.Factory.CreateMultiPolygon([Square(118.1, 41.0, 0.01).GetGeometryN(0) as Polygon, Square(118.2, 41.0, 0.02).GetGeometryN(0) as Polygon]),
            ["two parts", 2L, 2.5, false, Instant, "b"]),
    ];

    public static MultiPolygon Square(double lon, double lat, double half, bool hole = false)
    {
        var f = Wgs84.Factory;
        LinearRing Ring(double h, bool clockwise)
        {
            Coordinate[] c = [new(lon - h, lat - h), new(lon + h, lat - h), new(lon + h, lat + h), new(lon - h, lat + h), new(lon - h, lat - h)];
            return f.CreateLinearRing(clockwise ? c.Reverse().ToArray() : c);
        }
        var polygon = f.CreatePolygon(Ring(half, false), hole ? [Ring(half / 2, true)] : []);
        return f.CreateMultiPolygon([polygon]);
    }

    public static async IAsyncEnumerable<ExportFeature> Stream(IEnumerable<ExportFeature> features)
    {
        foreach (var f in features)
        {
            await Task.Yield();
            yield return f;
        }
    }
}
