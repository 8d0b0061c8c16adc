using NetTopologySuite.Geometries;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Benchmarks;

/// <summary>
/// The synthetic metric city of CoverageBenchmarks (the seeds are chosen there): blocks on a 100 m pitch, streets
/// where x or y mod 100 ≥ 80. Also linked into tests/SituationMap.Benchmarks (coverage-overlay: the same views and zones
/// against PostGIS), so keep it free of BenchmarkDotNet.
/// </summary>
public static class CoverageCity
{
    private static readonly GeometryFactory Factory = new();

    private static Polygon Rect(double x0, double y0, double x1, double y1) =>
        Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    public static List<NetTopologySuite.Geometries.Geometry> Buildings()
    {
        var buildings = new List<NetTopologySuite.Geometries.Geometry>(20_000);
        for (var i = 0; i < 100; i++)
        {
            for (var j = 0; j < 100; j++)
            {
                double x = i * 100, y = j * 100;
                if ((i * 100 + j) % 10 == 0)
                {
                    var shell = (LinearRing)Rect(x + 5, y + 5, x + 75, y + 75).ExteriorRing;
                    var hole = (LinearRing)Rect(x + 25, y + 25, x + 55, y + 55).ExteriorRing;
                    buildings.Add(Factory.CreatePolygon(shell, [hole]));
                }
                else
                {
                    buildings.Add(Rect(x + 5, y + 5, x + 35, y + 75));
                    buildings.Add(Rect(x + 45, y + 5, x + 75, y + 75));
                }
            }
        }
        return buildings;
    }

    public static CameraSpec StreetCamera(Random random)
    {
        var along = random.NextDouble() * 10_000;
        var across = random.Next(100) * 100 + 80 + random.NextDouble() * 20;
        var (x, y) = random.Next(2) == 0 ? (across, along) : (along, across);
        var range = 30 + random.NextDouble() * 120;
        return random.Next(5) == 0
            ? new CameraSpec(new Coordinate(x, y), 0, 360, range, CameraKind.Ptz)
            : new CameraSpec(new Coordinate(x, y), random.NextDouble() * 360, 40 + random.NextDouble() * 80, range);
    }

    public static CoverageZone[] Zones(Random random, int count)
    {
        var kinds = Enum.GetValues<ZoneKind>().Where(k => k != ZoneKind.District).ToArray();
        return [.. Enumerable.Range(0, count).Select(z =>
        {
            var size = 150 + random.NextDouble() * 450;
            double x = random.NextDouble() * (10_000 - size), y = random.NextDouble() * (10_000 - size);
            var kind = kinds[random.Next(kinds.Length)];
            return CoverageZone.WithDefaultTarget($"zone{z}", Rect(x, y, x + size, y + size), kind, $"d{(x < 5_000 ? 0 : 1) + (y < 5_000 ? 0 : 2)}");
        })];
    }
}
