using System.Globalization;
using System.Text.Json.Nodes;
using SituationMap.Analysis.Geometry;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Dispatch;

/// <summary>
/// A server whose roads layer is a hand-made grid: 6 × 6 junctions 100 m apart (UTM, junction (0, 0) at Api.Lon/Lat),
/// residential streets at 36 km/h (10 m/s by car; 5 km/h on foot); the top street (j = 5) is one-way eastwards. Every
/// expected travel time is plain arithmetic. Roads are reference data read by the road network, so they are inserted
/// before any test runs.
/// </summary>
public class RoadGridFixture : ServerFixture
{
    private static readonly MetricProjection Utm = MetricProjection.ForLocation(Lon, Lat);
    private static readonly (double X, double Y) Origin = (Utm.ToMetric(Lon, Lat).X, Utm.ToMetric(Lon, Lat).Y);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var rows = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 6; j++)
            {
                if (i < 5) rows.Add(Road((i, j), (i + 1, j), oneWay: j == 5));
                if (j < 5) rows.Add(Road((i, j), (i, j + 1), oneWay: false));
            }
        }
        await Database.ExecuteAsync("INSERT INTO roads (name, class, one_way, max_speed_kmh, geom) VALUES " + string.Join(",", rows));
    }

    private static string Road((int I, int J) a, (int I, int J) b, bool oneWay)
    {
        var (p, q) = (At(a.I, a.J), At(b.I, b.J));
        return string.Create(CultureInfo.InvariantCulture,
            $"('grid', 'residential', {(oneWay ? "true" : "false")}, 36, ST_GeomFromText('LINESTRING({p[0]} {p[1]}, {q[0]} {q[1]})', 4326))");
    }

    /// <summary>Grid junction (i, j) (may be fractional or outside the grid) as [lon, lat].</summary>
    public static double[] At(double i, double j)
    {
        var c = Utm.ToWgs84(Origin.X + (i * 100), Origin.Y + (j * 100));
        return [Math.Round(c.X, 8), Math.Round(c.Y, 8)];
    }

    public static JsonObject PointAt(double i, double j)
    {
        var c = At(i, j);
        return Point(c[0], c[1]);
    }

    /// <summary>A GeoJSON MultiLineString through grid junctions.</summary>
    public static JsonObject LineThrough(params (double I, double J)[] points)
    {
        var line = new JsonArray();
        foreach (var (i, j) in points) line.Add(new JsonArray(At(i, j)[0], At(i, j)[1]));
        return new JsonObject { ["type"] = "MultiLineString", ["coordinates"] = new JsonArray(line) };
    }

    /// <summary>A district (inserted directly) covering grid coordinates [i0, i1] × [j0, j1].</summary>
    public Task AddDistrictAsync(string code, double i0, double j0, double i1, double j1)
    {
        var (a, b) = (At(i0, j0), At(i1, j1));
        return Database.ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO districts (code, name, geom) VALUES ('{code}', '{code}', ST_Multi(ST_MakeEnvelope({a[0]}, {a[1]}, {b[0]}, {b[1]}, 4326)))"));
    }
}
