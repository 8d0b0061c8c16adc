using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace SituationMap.DemoCity;

/// <summary>
/// Writes an RFC 7946 FeatureCollection with one feature per line, byte-stable: coordinates with at most 7 decimals
/// in invariant culture, exterior rings counter-clockwise and holes clockwise, UTF-8 without BOM, Chinese characters
/// unescaped, "\n" line ends.
/// </summary>
internal sealed class GeoJsonFeatureWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("{\"type\":\"FeatureCollection\",\"features\":[\n");
    private static readonly byte[] Footer = Encoding.UTF8.GetBytes("\n]}\n");
    private static readonly byte[] Separator = Encoding.UTF8.GetBytes(",\n");

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private bool _first = true;

    public GeoJsonFeatureWriter(string path)
    {
        _stream = File.Create(path);
        _stream.Write(Header);
    }

    /// <summary>Writes one feature; <paramref name="properties"/> writes the members of the properties object.</summary>
    public void Write(Geometry geometry, Action<Utf8JsonWriter> properties)
    {
        _buffer.Clear();
        using (var json = new Utf8JsonWriter(_buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WritePropertyName("geometry");
            WriteGeometry(json, geometry);
            json.WritePropertyName("properties");
            json.WriteStartObject();
            properties(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        if (!_first) _stream.Write(Separator);
        _first = false;
        _stream.Write(_buffer.WrittenSpan);
    }

    public void Dispose()
    {
        _stream.Write(Footer);
        _stream.Dispose();
    }

    public static string Number(double value, int decimals) =>
        value.ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A number with at most <paramref name="decimals"/> decimals, written exactly as formatted.</summary>
    public static void WriteNumber(Utf8JsonWriter json, string name, double value, int decimals)
    {
        json.WritePropertyName(name);
        json.WriteRawValue(Number(value, decimals), skipInputValidation: true);
    }

    public static void WriteGeometry(Utf8JsonWriter json, Geometry geometry)
    {
        json.WriteStartObject();
        switch (geometry)
        {
            case Point point:
                json.WriteString("type", "Point");
                json.WritePropertyName("coordinates");
                WritePosition(json, point.Coordinate);
                break;
            case LineString line:
                json.WriteString("type", "LineString");
                json.WritePropertyName("coordinates");
                WritePositions(json, line.Coordinates);
                break;
            case MultiLineString lines:
                json.WriteString("type", "MultiLineString");
                json.WritePropertyName("coordinates");
                json.WriteStartArray();
                foreach (var g in lines.Geometries) WritePositions(json, g.Coordinates);
                json.WriteEndArray();
                break;
            case Polygon polygon:
                json.WriteString("type", "Polygon");
                json.WritePropertyName("coordinates");
                WritePolygon(json, polygon);
                break;
            case MultiPolygon polygons:
                json.WriteString("type", "MultiPolygon");
                json.WritePropertyName("coordinates");
                json.WriteStartArray();
                foreach (var g in polygons.Geometries) WritePolygon(json, (Polygon)g);
                json.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"{geometry.GeometryType} is not written by the demo export.");
        }
        json.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter json, Polygon polygon)
    {
        json.WriteStartArray();
        WriteRing(json, polygon.ExteriorRing.Coordinates, counterClockwise: true);
        foreach (var hole in polygon.InteriorRings) WriteRing(json, hole.Coordinates, counterClockwise: false);
        json.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter json, Coordinate[] ring, bool counterClockwise)
    {
        if (Orientation.IsCCW(ring) != counterClockwise)
        {
            ring = (Coordinate[])ring.Clone();
            Array.Reverse(ring);
        }
        WritePositions(json, ring);
    }

    private static void WritePositions(Utf8JsonWriter json, Coordinate[] coordinates)
    {
        json.WriteStartArray();
        foreach (var c in coordinates) WritePosition(json, c);
        json.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter json, Coordinate c)
    {
        json.WriteStartArray();
        json.WriteRawValue(Number(c.X, Wgs84Output.Decimals), skipInputValidation: true);
        json.WriteRawValue(Number(c.Y, Wgs84Output.Decimals), skipInputValidation: true);
        json.WriteEndArray();
    }
}
