using Npgsql;
using SituationMap.Analysis.Geometry;
using SituationMap.Testing;
using Xunit.Abstractions;

namespace SituationMap.Server.Tests.Ogc;

/// <summary>
/// The CRS registry (Analysis/Geometry) against PostGIS ST_Transform (PROJ inside the database the server uses):
/// within 1 mm for every UTM zone, the CGCS2000 3° Gauss-Krüger zones and Web Mercator, forward and inverse.
/// PostGIS always takes and returns (x = easting/longitude, y = northing/latitude), the registry's order.
/// </summary>
public sealed class CrsRegistryAgainstPostGisTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const double Millimetre = 0.001;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>ST_Transform of the points from one SRID to another, in input order.</summary>
    private async Task<List<(double X, double Y)>> TransformAsync(int fromSrid, int toSrid, IReadOnlyList<(double X, double Y)> points)
    {
        const string sql = """
            SELECT ST_X(t), ST_Y(t)
            FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, n),
                 LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), $3), $4) AS t
            ORDER BY p.n
            """;
        await using var cmd = _database.DataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.X).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.Y).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = fromSrid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = toSrid });
        var result = new List<(double, double)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add((reader.GetDouble(0), reader.GetDouble(1)));
        return result;
    }

    private static List<(double X, double Y)> Grid(double centralMeridian, double half, double latFrom, double latTo, double latStep)
    {
        var points = new List<(double, double)>();
        for (var lat = latFrom; lat <= latTo + 1e-9; lat += latStep)
        {
            for (var d = -half; d <= half + 1e-9; d += half / 3) points.Add((centralMeridian + d, lat));
        }
        return points;
    }

    /// <summary>Largest forward (metres) and inverse (metres on the ground) difference from ST_Transform.</summary>
    private async Task<(double Forward, double Inverse)> ErrorsAsync(int geographicSrid, int srid, List<(double X, double Y)> points)
    {
        var crs = CrsRegistry.Find($"EPSG:{srid}")!;
        var projected = await TransformAsync(geographicSrid, srid, points);
        var back = await TransformAsync(srid, geographicSrid, projected);
        double forward = 0, inverse = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var (x, y) = crs.FromWgs84(points[i].X, points[i].Y);
            forward = Math.Max(forward, Math.Max(Math.Abs(x - projected[i].X), Math.Abs(y - projected[i].Y)));
            var (lon, lat) = crs.ToWgs84(projected[i].X, projected[i].Y);
            var dLon = Math.IEEERemainder(lon - back[i].X, 360); // -180 and 180 are the same meridian
            var metres = Math.Max(Math.Abs(lat - back[i].Y), Math.Abs(dLon) * Math.Cos(lat * Math.PI / 180)) * 111_320;
            inverse = Math.Max(inverse, metres);
        }
        return (forward, inverse);
    }

    [Fact]
    public async Task UtmZonesInBothHemispheresMatchStTransformWithinAMillimetre()
    {
        double forward = 0, inverse = 0;
        for (var zone = 1; zone <= 60; zone++)
        {
            var north = await ErrorsAsync(4326, 32600 + zone, Grid((6 * zone) - 183, 3, 0, 80, 20));
            var south = await ErrorsAsync(4326, 32700 + zone, Grid((6 * zone) - 183, 3, -80, 0, 20));
            forward = Math.Max(forward, Math.Max(north.Forward, south.Forward));
            inverse = Math.Max(inverse, Math.Max(north.Inverse, south.Inverse));
        }
        output.WriteLine($"UTM vs ST_Transform: forward {forward * 1000:F6} mm, inverse {inverse * 1000:F6} mm");
        Assert.InRange(forward, 0, Millimetre);
        Assert.InRange(inverse, 0, Millimetre);
    }

    [Fact]
    public async Task CgcsGaussKrugerZonesAcrossChinaMatchStTransformWithinAMillimetre()
    {
        double forward = 0, inverse = 0;
        for (var code = 4534; code <= 4554; code++)
        {
            var (f, i) = await ErrorsAsync(4490, code, Grid(75 + (3 * (code - 4534)), 3, 3, 54, 4.25));
            forward = Math.Max(forward, f);
            inverse = Math.Max(inverse, i);
        }
        var (f2, i2) = await ErrorsAsync(4490, 4526, Grid(114, 1.5, 20, 50, 10)); // zone number in the easting
        output.WriteLine($"CGCS2000 GK vs ST_Transform: forward {Math.Max(forward, f2) * 1000:F6} mm, inverse {Math.Max(inverse, i2) * 1000:F6} mm");
        Assert.InRange(Math.Max(forward, f2), 0, Millimetre);
        Assert.InRange(Math.Max(inverse, i2), 0, Millimetre);
    }

    [Fact]
    public async Task WebMercatorMatchesStTransformWithinAMillimetre()
    {
        var (forward, inverse) = await ErrorsAsync(4326, 3857, Grid(0, 180, -85, 85, 17));
        output.WriteLine($"EPSG:3857 vs ST_Transform: forward {forward * 1000:F6} mm, inverse {inverse * 1000:F6} mm");
        Assert.InRange(forward, 0, Millimetre);
        Assert.InRange(inverse, 0, Millimetre);
    }
}
