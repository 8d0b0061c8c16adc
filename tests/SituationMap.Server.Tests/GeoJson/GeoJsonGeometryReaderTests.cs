using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetTopologySuite.Geometries;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Tests.GeoJson;

public sealed class GeoJsonGeometryReaderTests
{
    private static (Geometry? Geometry, ProblemCollector Problems) Read(string json, GeometryRule rule)
    {
        var problems = new ProblemCollector();
        using var doc = JsonDocument.Parse(json);
        return (GeoJsonGeometryReader.Read(doc.RootElement, "/geometry", rule, problems), problems);
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Property(MaxTest = 500)]
    public Property AnyPositionInsideTheWorldIsAcceptedExactly() =>
        Prop.ForAll(Gen.Choose(-180_000_000, 180_000_000).Select(i => i / 1e6).ToArbitrary(),
                    Gen.Choose(-90_000_000, 90_000_000).Select(i => i / 1e6).ToArbitrary(), (lon, lat) =>
        {
            var (g, problems) = Read($"{{\"type\":\"Point\",\"coordinates\":[{Num(lon)},{Num(lat)}]}}", GeometryRule.Point);
            return !problems.Any && g is Point p && p.X == lon && p.Y == lat && p.SRID == 4326;
        });

    [Property(MaxTest = 500)]
    public Property AnyLongitudeOutsideTheWorldIsRefusedAtItsPointer() =>
        Prop.ForAll(Gen.OneOf(Gen.Choose(180_001, 10_000_000), Gen.Choose(-10_000_000, -180_001)).Select(i => i / 1e3).ToArbitrary(), lon =>
        {
            var (g, problems) = Read($"{{\"type\":\"Point\",\"coordinates\":[{Num(lon)},10]}}", GeometryRule.Point);
            return g is null && problems.ToDictionary().ContainsKey("/geometry/coordinates/0");
        });

    [Property(MaxTest = 200)]
    public Property ConvexPolygonsAreValidAndPromotedToMultiPolygons() =>
        Prop.ForAll(Gen.Choose(3, 60).ToArbitrary(), Gen.Choose(1, 5_000).ToArbitrary(), (sides, radiusMetres) =>
        {
            var r = radiusMetres / 111_000.0;
            var ring = Enumerable.Range(0, sides).Select(i => (114.9 + r * Math.Cos(2 * Math.PI * i / sides), 40.8 + r * Math.Sin(2 * Math.PI * i / sides))).ToList();
            ring.Add(ring[0]);
            var coords = string.Join(",", ring.Select(p => $"[{Num(p.Item1)},{Num(p.Item2)}]"));
            var (g, problems) = Read($"{{\"type\":\"Polygon\",\"coordinates\":[[{coords}]]}}", GeometryRule.Areas);
            return !problems.Any && g is MultiPolygon { NumGeometries: 1 } mp && mp.IsValid;
        });

    [Fact]
    public void HolesOutsideTheShellAreReportedAsInvalid()
    {
        var (g, problems) = Read(
            """{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[2,2],[3,2],[3,3],[2,3],[2,2]]]}""", GeometryRule.Areas);
        Assert.Null(g);
        Assert.Contains("invalid geometry: hole lies outside shell", problems.ToString());
    }

    [Fact]
    public void AThreeDimensionalPositionIsAcceptedAndAFourDimensionalOneIsNot()
    {
        Assert.False(Read("""{"type":"Point","coordinates":[114.9,40.8,55]}""", GeometryRule.Point).Problems.Any);
        Assert.Contains("2 or 3 numbers", Read("""{"type":"Point","coordinates":[114.9,40.8,55,1]}""", GeometryRule.Point).Problems.ToString());
    }

    [Fact]
    public void ALineWithOneDistinctPositionIsRefused() =>
        Assert.Contains("/geometry/coordinates: a line needs at least 2 distinct positions",
            Read("""{"type":"LineString","coordinates":[[1,1],[1,1]]}""", GeometryRule.Lines).Problems.ToString());

    [Fact]
    public void ProblemsStopAtFiftyForHostileInput()
    {
        var coords = string.Join(",", Enumerable.Repeat("[500,500]", 10_000));
        var (_, problems) = Read($"{{\"type\":\"MultiPoint\",\"coordinates\":[{coords}]}}", new GeometryRule("MultiPoint", ["MultiPoint"]));
        Assert.Equal(ProblemCollector.MaxProblems, problems.Count);
    }
}
