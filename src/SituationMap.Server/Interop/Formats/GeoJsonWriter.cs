using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SituationMap.Server.Infrastructure.Json;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// An RFC 7946 FeatureCollection, streamed feature by feature (flushed every 32 KiB, so memory stays flat however many
/// rows). Typed values stay typed (numbers, booleans); instants are RFC 3339 strings, which GDAL reads back as DateTime.
/// The collection carries the layer name as the foreign member "name" (GDAL's layer name).
/// </summary>
public sealed class GeoJsonWriter : IFeatureWriter
{
    private const int FlushBytes = 32 * 1024;

    public string Format => "geojson";

    public string ContentType => "application/geo+json";

    public string Extension => ".geojson";

    public async Task WriteAsync(Stream output, ExportLayer layer, IAsyncEnumerable<ExportFeature> features, CancellationToken ct)
    {
        // JsonSerializer flushes the writer synchronously, which Kestrel refuses on the response body: the writer fills
        // a buffer that is copied to the output asynchronously
        var buffer = new ArrayBufferWriter<byte>(2 * FlushBytes);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder });
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteString("name", layer.Name);
        json.WriteStartArray("features");
        await foreach (var feature in features.WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteNumber("id", feature.Id);
            json.WritePropertyName("geometry");
            if (feature.Geometry is null) json.WriteNullValue();
            else JsonSerializer.Serialize(json, feature.Geometry, ApiJson.Options);
            json.WriteStartObject("properties");
            for (var i = 0; i < layer.Fields.Count; i++) WriteValue(json, layer.Fields[i], feature.Values[i]);
            json.WriteEndObject();
            json.WriteEndObject();
            if (json.BytesPending + buffer.WrittenCount > FlushBytes) await CopyAsync(json, buffer, output, ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await CopyAsync(json, buffer, output, ct);
    }

    private static async Task CopyAsync(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, Stream output, CancellationToken ct)
    {
        json.Flush();
        await output.WriteAsync(buffer.WrittenMemory, ct);
        buffer.ResetWrittenCount();
    }

    private static void WriteValue(Utf8JsonWriter json, ExportField field, object? value)
    {
        json.WritePropertyName(field.Name);
        if (value is null)
        {
            json.WriteNullValue();
            return;
        }
        switch (field.Kind)
        {
            case FieldKind.Integer:
                json.WriteNumberValue(FieldValues.Integer(value));
                break;
            case FieldKind.Real when double.IsFinite(FieldValues.Real(value)):
                // 10697.0, not 10697: readers that guess types from values (GDAL) then keep the column Real
                var text = FieldValues.Real(value).ToString("R", CultureInfo.InvariantCulture);
                json.WriteRawValue(text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0", skipInputValidation: true);
                break;
            case FieldKind.Real:
                json.WriteNullValue();
                break;
            case FieldKind.Boolean:
                json.WriteBooleanValue(FieldValues.Boolean(value));
                break;
            default:
                json.WriteStringValue(FieldValues.Text(value, field.Kind));
                break;
        }
    }
}
