using System.Buffers.Binary;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Tests.Coverage;

/// <summary>
/// A tiny ESRI shapefile (.shp) reader for polygon layers (shape types 5, 15, 25; Z/M ignored), enough for the
/// Chicago police beats: records in file order (the .dbf's order), each a Polygon or MultiPolygon. Shells are the
/// clockwise rings; each counter-clockwise ring is a hole of the shell that contains it. Null shapes give an empty polygon.
/// </summary>
internal static class PolygonShapefile
{
    public static List<NetTopologySuite.Geometries.Geometry> Read(string path, GeometryFactory factory)
    {
        var bytes = File.ReadAllBytes(path);
        if (BinaryPrimitives.ReadInt32BigEndian(bytes) != 9994) throw new InvalidDataException($"{path} is not a shapefile.");
        var shapes = new List<NetTopologySuite.Geometries.Geometry>();
        var offset = 100;
        while (offset + 8 <= bytes.Length)
        {
            var contentBytes = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset + 4)) * 2;
            var content = bytes.AsSpan(offset + 8, contentBytes);
            offset += 8 + contentBytes;
            var type = BinaryPrimitives.ReadInt32LittleEndian(content);
            if (type == 0)
            {
                shapes.Add(factory.CreatePolygon());
                continue;
            }
            if (type is not (5 or 15 or 25)) throw new InvalidDataException($"Shape type {type} is not a polygon.");
            var parts = BinaryPrimitives.ReadInt32LittleEndian(content[36..]);
            var points = BinaryPrimitives.ReadInt32LittleEndian(content[40..]);
            var starts = new int[parts + 1];
            for (var p = 0; p < parts; p++) starts[p] = BinaryPrimitives.ReadInt32LittleEndian(content[(44 + 4 * p)..]);
            starts[parts] = points;
            var xy = 44 + 4 * parts;
            var shells = new List<LinearRing>();
            var holes = new List<LinearRing>();
            for (var p = 0; p < parts; p++)
            {
                var coordinates = new Coordinate[starts[p + 1] - starts[p]];
                for (var i = 0; i < coordinates.Length; i++)
                {
                    var at = xy + 16 * (starts[p] + i);
                    coordinates[i] = new Coordinate(BinaryPrimitives.ReadDoubleLittleEndian(content[at..]), BinaryPrimitives.ReadDoubleLittleEndian(content[(at + 8)..]));
                }
                if (coordinates.Length < 4) continue;
                var ring = factory.CreateLinearRing(coordinates);
                (Orientation.IsCCW(ring.CoordinateSequence) ? holes : shells).Add(ring);
            }
            var polygons = shells.Select(shell =>
            {
                var shellPolygon = factory.CreatePolygon(shell);
                var own = holes.Where(h => shellPolygon.Contains(factory.CreatePoint(h.GetCoordinateN(0)))).ToArray();
                return factory.CreatePolygon(shell, own);
            }).ToArray();
            shapes.Add(polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons));
        }
        return shapes;
    }
}
