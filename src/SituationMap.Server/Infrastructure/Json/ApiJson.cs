using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.IO.Converters;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Server.Infrastructure.Json;

/// <summary>
/// One JSON dialect for the HTTP API, the live hub and the change-log rows: snake_case names, enums as their
/// snake_case wire names (never integers; PatrolLevel is the number 1, 2 or 3), geometries as RFC 7946 GeoJSON
/// (NetTopologySuite.IO.GeoJSON4STJ, exterior rings counter-clockwise), date-times in ISO 8601 with an explicit offset,
/// times of day as "HH:mm". Unknown properties in requests are an error.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = CreateReadOnly();

    /// <summary>A frozen variant of <see cref="Options"/> (e.g. lenient about unknown members, for change-log rows).</summary>
    public static JsonSerializerOptions ReadOnlyCopy(Action<JsonSerializerOptions> change)
    {
        var options = new JsonSerializerOptions(Options);
        change(options);
        options.MakeReadOnly();
        return options;
    }

    private static JsonSerializerOptions CreateReadOnly()
    {
        var options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.AllowTrailingCommas = false;
        o.ReadCommentHandling = JsonCommentHandling.Disallow;
        o.MaxDepth = 64;
        // Chinese names and addresses stay readable (HTML-sensitive characters are still escaped)
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        o.Converters.Add(new GeoJsonConverterFactory(Wgs84.Factory, writeGeometryBBox: false));
        o.Converters.Add(new PatrolLevelConverter());
        o.Converters.Add(new WireEnumConverterFactory());
        o.Converters.Add(new StrictDateTimeOffsetConverter());
        o.Converters.Add(new HourMinuteConverter());
        return o;
    }

    /// <summary>Enums of SituationMap.Analysis.Domain as wire names, with an error that lists the allowed values.</summary>
    private sealed class WireEnumConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type t) => t.IsEnum && t.Namespace == typeof(IncidentCategory).Namespace && t != typeof(PatrolLevel);

        public override JsonConverter CreateConverter(Type t, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(WireEnumConverter<>).MakeGenericType(t))!;
    }

    private sealed class WireEnumConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"expected a string, one of: {string.Join(", ", WireNames.All<T>())}.");
            var s = reader.GetString();
            return WireNames.TryParse<T>(s, out var value)
                ? value
                : throw new JsonException($"'{Shorten(s)}' is not one of: {string.Join(", ", WireNames.All<T>())}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(WireNames.Of(value));
    }

    private sealed class PatrolLevelConverter : JsonConverter<PatrolLevel>
    {
        public override PatrolLevel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) && n is >= 1 and <= 3
                ? (PatrolLevel)n
                : throw new JsonException("expected 1 (city), 2 (district/county) or 3 (community/police station).");

        public override void Write(Utf8JsonWriter writer, PatrolLevel value, JsonSerializerOptions options) =>
            writer.WriteNumberValue((int)value);
    }

    /// <summary>ISO 8601 with an explicit offset ("Z" or "+08:00"): a time without one is ambiguous and refused. Read as
    /// the same instant in UTC (PostgreSQL's timestamptz stores instants; Npgsql writes only offset 0).</summary>
    private sealed class StrictDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        private const string Expected = "expected an ISO 8601 date-time with an offset, e.g. 2026-11-25T08:30:00+08:00 or 2026-11-25T00:30:00Z.";

        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException(Expected);
            var s = reader.GetString()!;
            var hasOffset = s.Length > 10 && (s.EndsWith('Z') || s.EndsWith('z') || s.LastIndexOfAny(['+', '-']) > 10);
            return hasOffset && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) && s.Contains('T')
                ? v.ToUniversalTime()
                : throw new JsonException(Expected);
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture));
    }

    private sealed class HourMinuteConverter : JsonConverter<TimeOnly>
    {
        public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
            && TimeOnly.TryParseExact(reader.GetString(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t
                : throw new JsonException("expected a time of day \"HH:mm\" (00:00 … 23:59).");

        public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    private static string Shorten(string? s) => s is null ? "null" : s.Length <= 40 ? s : s[..40] + "…";
}
