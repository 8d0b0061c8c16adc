using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Server.Interop.Imports;

// TEMPORARY until the CRS registry (Analysis/Geometry/CoordinateSystems.cs) lands: WGS84-equivalent systems and the Chinese offsets.
internal sealed class Crs(string id, Func<double, double, (double, double)> toWgs84)
{
    public string Id => id;

    public Geometry ToWgs84(Geometry g)
    {
        var copy = (Geometry)Wgs84.Factory.CreateGeometry(g);
        copy.Apply(new Map(toWgs84));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class Map(Func<double, double, (double, double)> f) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = f(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}

internal static class CrsRegistry
{
    public static Crs Wgs84 { get; } = new("EPSG:4326", (x, y) => (x, y));

    public static Crs? Find(string code) => code.ToUpperInvariant() switch
    {
        "EPSG:4326" or "4326" or "CRS84" or "OGC:CRS84" or "WGS84" or "EPSG:4490" or "CGCS2000" => Wgs84,
        "GCJ-02" or "GCJ02" => new Crs("GCJ-02", (x, y) => ChineseOffsets.Gcj02ToWgs84(x, y)),
        "BD-09" or "BD09" => new Crs("BD-09", (x, y) => ChineseOffsets.Bd09ToWgs84(x, y)),
        _ => null,
    };

    public static Crs? FromWkt(string wkt) => wkt.Contains("WGS_1984", StringComparison.Ordinal) && wkt.StartsWith("GEOGCS", StringComparison.Ordinal) ? Wgs84 : null;
}
