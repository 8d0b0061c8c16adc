using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// Reads a GeoJSON file: a FeatureCollection, a single Feature, or newline-delimited Features (GeoJSONSeq/NDJSON).
/// Coordinates are taken in the file's order (x = easting/longitude); an old-style (2008) top-level "crs" member is
/// reported as <see cref="DeclaredCrs"/> so projected files import without being told their CRS. Properties keep their
/// JSON types (string, long, double, bool, null); nested objects and arrays are kept as JSON text. The document is
/// parsed whole (memory ≈ 2-3× the file), which keeps reading simple and fast for the files agencies exchange.
/// </summary>
public sealed class GeoJsonSource : IFeatureSource
{
    private static readonly JsonSerializerOptions GeometryOptions = new() { Converters = { new GeoJsonConverterFactory(new GeometryFactory(), false) } };

    private readonly JsonDocument[] _documents;
    private readonly JsonElement[] _features;
    private long _read;

    public GeoJsonSource(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var options = new JsonDocumentOptions { MaxDepth = 256, AllowTrailingCommas = false };
        var text = bytes.AsSpan();
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        try
        {
            _documents = [JsonDocument.Parse(text.ToArray(), options)];
        }
        catch (JsonException) when (LooksLikeSequence(text))
        {
            _documents = ReadSequence(text.ToArray(), options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        var root = _documents[0].RootElement;
        if (_documents.Length > 1)
        {
            _features = _documents.Select(d => d.RootElement).ToArray();
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type) && type.ValueEquals("FeatureCollection"))
        {
            if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{Path.GetFileName(path)}: a FeatureCollection needs a \"features\" array.");
            _features = features.EnumerateArray().ToArray();
            DeclaredCrs = CrsName(root);
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var single) && single.ValueEquals("Feature"))
        {
            _features = [root];
            DeclaredCrs = CrsName(root);
        }
        else
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a GeoJSON FeatureCollection, Feature or feature sequence.");
        }
        var columns = _features.Where(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
            .SelectMany(f => f.GetProperty("properties").EnumerateObject().Select(p => p.Name))
            .Distinct(StringComparer.Ordinal).ToList();
        // the features' own ids are an attribute "id" too (unless a property has that name): an export's ids key a re-import
        if (!columns.Contains("id") && _features.Any(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("id", out _))) columns.Insert(0, "id");
        Columns = columns;
    }

    public string Format => "geojson";

    public string? DeclaredCrs { get; }

    public IReadOnlyList<string> Columns { get; }

    public long? Count => _features.Length;

    public double Progress => _features.Length == 0 ? 1 : (double)Interlocked.Read(ref _read) / _features.Length;

    public IEnumerable<SourceFeature> Read(CancellationToken ct)
    {
        for (var i = 0; i < _features.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            Interlocked.Exchange(ref _read, i + 1);
            yield return ReadFeature(i + 1, _features[i]);
        }
    }

    private static SourceFeature ReadFeature(long row, JsonElement feature)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("type", out var type) || !type.ValueEquals("Feature"))
            return new SourceFeature(row, null, attributes, "is not a GeoJSON Feature object.");
        if (feature.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in properties.EnumerateObject()) attributes[p.Name] = Value(p.Value);
        }
        if (feature.TryGetProperty("id", out var id) && !attributes.ContainsKey("id")) attributes["id"] = Value(id);
        if (!feature.TryGetProperty("geometry", out var geometryJson) || geometryJson.ValueKind == JsonValueKind.Null)
            return new SourceFeature(row, null, attributes);
        try
        {
            return new SourceFeature(row, geometryJson.Deserialize<Geometry>(GeometryOptions), attributes);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return new SourceFeature(row, null, attributes, "geometry cannot be read: " + e.Message.Split(" Path:")[0].TrimEnd('.') + ".");
        }
    }

    private static object? Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number when v.TryGetInt64(out var l) => l,
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => v.GetRawText(),
    };

    /// <summary>The name of a GeoJSON 2008 "crs" member ({"type": "name", "properties": {"name": …}}), if any.</summary>
    private static string? CrsName(JsonElement root) =>
        root.TryGetProperty("crs", out var crs) && crs.ValueKind == JsonValueKind.Object
        && crs.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
        && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
            ? n.GetString()
            : null;

    private static bool LooksLikeSequence(ReadOnlySpan<byte> text)
    {
        var firstLine = text.IndexOf((byte)'\n');
        return firstLine > 0 && text.TrimStart((byte)0x1E).TrimStart(" \t\r\n"u8).StartsWith("{"u8);
    }

    private static JsonDocument[] ReadSequence(byte[] text, JsonDocumentOptions options)
    {
        var documents = new List<JsonDocument>();
        var start = 0;
        var line = 1;
        while (start < text.Length)
        {
            var end = Array.IndexOf(text, (byte)'\n', start);
            if (end < 0) end = text.Length;
            var slice = text.AsSpan(start, end - start).Trim(" \t\r\u001e"u8);
            if (slice.Length > 0)
            {
                try
                {
                    documents.Add(JsonDocument.Parse(slice.ToArray(), options));
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"line {line} of the feature sequence is not valid JSON (byte {e.BytePositionInLine + 1})."));
                }
            }
            start = end + 1;
            line++;
        }
        return documents.ToArray();
    }

    public void Dispose()
    {
        foreach (var d in _documents) d.Dispose();
    }
}
