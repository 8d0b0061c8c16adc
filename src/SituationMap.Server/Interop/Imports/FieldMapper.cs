using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Interop.Imports;

/// <summary>
/// Turns a file's row into the layer's write properties (the same JSON a client would send to POST /api/{layer}), so
/// imported rows pass exactly the validation of the API. Built once per import from the options and the file's
/// columns (unknown fields or columns are refused before any row is read); then <see cref="Map"/> runs per row.
/// Problems are reported by target field and source column: "occurred_at (column Date): '2018-13-01' is not a date".
/// </summary>
public sealed class FieldMapper
{
    private readonly List<(string Field, Type Type, FieldMap Map, TimeZoneInfo? Zone)> _fields = [];
    private readonly string? _externalIdColumn;
    private readonly bool _hashExternalId;
    private string? _sourceColumn;
    private readonly Dictionary<string, int> _hashes = new(StringComparer.Ordinal);

    private FieldMapper(string? externalIdColumn, bool hash)
    {
        _externalIdColumn = externalIdColumn;
        _hashExternalId = hash;
    }

    /// <summary>The write contract's fields an import may set (all but version).</summary>
    public static IReadOnlyList<(string Name, Type Type)> WritableFields(Type write) =>
        ApiJson.Options.GetTypeInfo(write).Properties
            .Where(p => p.Name != "version" && (p.Set is not null || p.AssociatedParameter is not null))
            .Select(p => (p.Name, p.PropertyType)).ToArray();

    /// <summary>The mapper, or null with problems at "/options/…" naming unknown fields, columns and time zones.</summary>
    public static FieldMapper? Create(Type write, ImportOptions options, IReadOnlyList<string> columns, ProblemCollector problems)
    {
        var writable = WritableFields(write);
        var names = writable.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in (options.Fields ?? []).Keys.Where(k => !names.Contains(k)))
            problems.Add($"/options/fields/{name}", $"is not a field of this layer; fields: {string.Join(", ", names.Order())}.");
        string? Column(string? wanted, string at)
        {
            if (wanted is null) return null;
            var found = columns.FirstOrDefault(c => string.Equals(c, wanted, StringComparison.Ordinal))
                        ?? columns.FirstOrDefault(c => string.Equals(c.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase));
            if (found is null) problems.Add(at, $"the file has no column '{wanted}'; its columns: {string.Join(", ", columns)}.");
            return found;
        }
        // the import key: options.external_id (a column or #hash), else a column named external_id (a SituationMap export)
        var hash = options.ExternalId == ImportOptions.HashExternalId;
        var externalColumn = hash ? null
            : options.ExternalId is not null ? Column(options.ExternalId, "/options/external_id")
            : columns.FirstOrDefault(c => SameField(c, "external_id"));
        var mapper = new FieldMapper(externalColumn, hash)
        {
            _sourceColumn = options.Source is null ? columns.FirstOrDefault(c => SameField(c, "source")) : null,
        };
        foreach (var key in new[] { "source", "external_id" }.Where(k => options.Fields?.ContainsKey(k) == true))
            problems.Add($"/options/fields/{key}", $"set {key} with options.{key}, not as a field.");
        foreach (var (name, type) in writable)
        {
            if (name is "source" or "external_id") continue; // the import key, see above
            FieldMap? map = options.Fields?.GetValueOrDefault(name);
            if (map is null)
            {
                // no mapping: the column of the same name (ignoring case, spaces and underscores), if there is one
                var same = columns.FirstOrDefault(c => SameField(c, name));
                if (same is null) continue;
                map = new FieldMap(Column: same);
            }
            else if (map.Column is not null)
            {
                map = map with { Column = Column(map.Column, $"/options/fields/{name}/column") };
                if (map.Column is null) continue;
            }
            else if (map.Value is null && map.Default is null)
            {
                problems.Add($"/options/fields/{name}", "needs a column, a value or a default.");
                continue;
            }
            if (map.Values is { } given)
            {
                var folded = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
                foreach (var (key, value) in given)
                {
                    if (!folded.TryAdd(key.Trim(), value))
                        problems.Add($"/options/fields/{name}/values", $"names '{key}' twice (values are matched ignoring case).");
                }
                map = map with { Values = folded };
            }
            TimeZoneInfo? zone = null;
            if (map.TimeZone is { } tz)
            {
                try
                {
                    zone = TimeZoneInfo.FindSystemTimeZoneById(tz);
                }
                catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
                {
                    problems.Add($"/options/fields/{name}/time_zone", $"'{tz}' is not a known time zone; use an IANA name such as Asia/Shanghai.");
                }
            }
            mapper._fields.Add((name, Nullable.GetUnderlyingType(type) ?? type, map, zone));
        }
        return problems.Any ? null : mapper;
    }

    /// <summary>
    /// A column that holds the field: the same name ignoring case, spaces, '-' and '_', or the name cut to 10 characters
    /// as a shapefile's DBF stores it ("occurred_at" → "occurred_a").
    /// </summary>
    private static bool SameField(string column, string field) =>
        Simplify(column) == Simplify(field) || (field.Length > 10 && string.Equals(column, field[..10], StringComparison.OrdinalIgnoreCase));

    private static string Simplify(string s) => s.Replace("_", "").Replace(" ", "").Replace("-", "").ToLowerInvariant();

    /// <summary>The external id of the row: its column's text, or the row fingerprint (repeats of an identical row get #2, #3…).</summary>
    public string? ExternalId(SourceFeature row, ProblemCollector problems)
    {
        if (_externalIdColumn is { } column)
        {
            var value = Text(row.Attributes.GetValueOrDefault(column));
            if (string.IsNullOrWhiteSpace(value)) problems.Add("external_id", $"column {column} is empty: every row needs its external id.");
            return value?.Trim();
        }
        if (!_hashExternalId) return null;
        var fingerprint = Fingerprint(row);
        var seen = _hashes.GetValueOrDefault(fingerprint) + 1;
        _hashes[fingerprint] = seen;
        return seen == 1 ? fingerprint : fingerprint + "#" + seen.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>SHA-256 (first 16 bytes, hex) of the row's attributes in column order and its geometry's WKT.</summary>
    private static string Fingerprint(SourceFeature row)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in row.Attributes) text.Append(key).Append('\u001f').Append(Text(value)).Append('\u001e');
        text.Append(row.Geometry?.AsText());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }

    /// <summary>Writes the row's mapped properties as one JSON object; problems are keyed by target field.</summary>
    /// <summary>The write fields this mapping sets (re-imports update these columns and keep the others).</summary>
    public IEnumerable<string> MappedFields => _fields.Select(f => f.Field);

    /// <summary>The row's source from a column named source (a SituationMap export), when options.source is not given.</summary>
    public string? SourceOf(SourceFeature row) => _sourceColumn is { } c ? Text(row.Attributes.GetValueOrDefault(c))?.Trim() : null;

    public JsonDocument Map(SourceFeature row, ProblemCollector problems)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (field, type, map, zone) in _fields)
            {
                var raw = map.Value is { } constant ? constant : map.Column is { } c ? row.Attributes.GetValueOrDefault(c) : null;
                if (raw is string s && string.IsNullOrWhiteSpace(s)) raw = null;
                if (raw is not null && raw is not JsonElement && map.Values is { } values)
                {
                    var key = Text(raw)!.Trim();
                    if (values.TryGetValue(key, out var mapped))
                    {
                        raw = mapped;
                    }
                    else if (map.Default is null)
                    {
                        problems.Add(field, $"{Where(map)}'{Short(key)}' has no entry in the field's values and there is no default.");
                        continue;
                    }
                    else
                    {
                        raw = null;
                    }
                }
                raw ??= map.Default;
                if (raw is null) continue;
                w.WritePropertyName(field);
                if (!WriteValue(w, raw, type, map, zone, field, problems)) w.WriteNullValue();
            }
            w.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static bool WriteValue(Utf8JsonWriter w, object raw, Type type, FieldMap map, TimeZoneInfo? zone, string field, ProblemCollector problems)
    {
        switch (raw)
        {
            case JsonElement json when type == typeof(DateTimeOffset) && json.ValueKind == JsonValueKind.String:
                return WriteValue(w, json.GetString()!, type, map, zone, field, problems);
            case JsonElement json:
                json.WriteTo(w);
                return true;
            case DateTimeOffset dto:
                w.WriteStringValue(dto);
                return true;
            case DateTime dt:
                return WriteDate(w, dt, zone, map, field, problems);
        }
        if (type == typeof(string))
        {
            w.WriteStringValue(Text(raw));
            return true;
        }
        if (type == typeof(DateTimeOffset)) return WriteDateText(w, raw, map, zone, field, problems);
        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            if (raw is long l) w.WriteNumberValue(l);
            else if (raw is double d && d == Math.Round(d)) w.WriteNumberValue((long)d);
            else if (raw is string s && long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var li)) w.WriteNumberValue(li);
            else if (raw is string s2 && double.TryParse(s2.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var di) && di == Math.Round(di)) w.WriteNumberValue((long)di);
            else return Fail($"{Where(map)}'{Short(Text(raw))}' is not a whole number.");
            return true;
        }
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            if (raw is long l) w.WriteNumberValue(l);
            else if (raw is double d && double.IsFinite(d)) w.WriteNumberValue(d);
            else if (raw is string s && double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ds) && double.IsFinite(ds)) w.WriteNumberValue(ds);
            else return Fail($"{Where(map)}'{Short(Text(raw))}' is not a number.");
            return true;
        }
        if (type == typeof(bool))
        {
            var b = raw switch
            {
                bool v => v,
                long v => v != 0,
                string s => s.Trim().ToLowerInvariant() switch
                {
                    "true" or "t" or "yes" or "y" or "1" => true,
                    "false" or "f" or "no" or "n" or "0" => (bool?)false,
                    _ => null,
                },
                _ => null,
            };
            if (b is null) return Fail($"{Where(map)}'{Short(Text(raw))}' is not true or false.");
            w.WriteBooleanValue(b.Value);
            return true;
        }
        if (type.IsEnum)
        {
            // wire names are snake_case: "Public Order", "public-order" and "PUBLIC_ORDER" all mean public_order
            w.WriteStringValue(Text(raw)!.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_'));
            return true;
        }
        // arrays and GeoJSON values (preset headings, privacy masks): JSON text in the cell
        if (raw is string text)
        {
            try
            {
                using var parsed = JsonDocument.Parse(text);
                parsed.RootElement.WriteTo(w);
                return true;
            }
            catch (JsonException)
            {
                return Fail($"{Where(map)}is not valid JSON.");
            }
        }
        return Fail($"{Where(map)}has a value of the wrong type.");

        bool Fail(string message)
        {
            problems.Add(field, message);
            return false;
        }
    }

    private static bool WriteDateText(Utf8JsonWriter w, object raw, FieldMap map, TimeZoneInfo? zone, string field, ProblemCollector problems)
    {
        var text = Text(raw)!.Trim();
        if (map.Format is "unix" or "unix_ms")
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch) || !double.IsFinite(epoch))
            {
                problems.Add(field, $"{Where(map)}'{Short(text)}' is not a number of {(map.Format == "unix" ? "seconds" : "milliseconds")} since 1970.");
                return false;
            }
            w.WriteStringValue(DateTimeOffset.UnixEpoch.AddMilliseconds(map.Format == "unix" ? epoch * 1000 : epoch));
            return true;
        }
        if (map.Format is { } format)
        {
            if (DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var exact)
                && (format.Contains('z') || format.Contains('K')))
            {
                w.WriteStringValue(exact);
                return true;
            }
            if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
                return WriteDate(w, DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone, map, field, problems);
            problems.Add(field, $"{Where(map)}'{Short(text)}' does not match the date format {format}.");
            return false;
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            if (parsed.Kind == DateTimeKind.Unspecified) return WriteDate(w, parsed, zone, map, field, problems);
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var withOffset))
            {
                w.WriteStringValue(withOffset);
                return true;
            }
        }
        problems.Add(field, $"{Where(map)}'{Short(text)}' is not a date-time; give fields.{field}.format (e.g. yyyy-MM-dd HH:mm:ss).");
        return false;
    }

    /// <summary>A date-time without an offset: local time of the field's time zone (UTC for Utc kinds); none → a problem.</summary>
    private static bool WriteDate(Utf8JsonWriter w, DateTime value, TimeZoneInfo? zone, FieldMap map, string field, ProblemCollector problems)
    {
        if (value.Kind == DateTimeKind.Utc)
        {
            w.WriteStringValue(new DateTimeOffset(value));
            return true;
        }
        if (zone is null)
        {
            problems.Add(field, $"{Where(map)}'{value:yyyy-MM-dd HH:mm:ss}' has no UTC offset; give fields.{field}.time_zone (e.g. Asia/Shanghai).");
            return false;
        }
        var unspecified = DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
        w.WriteStringValue(new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)));
        return true;
    }

    private static string Where(FieldMap map) => map.Column is { } c ? $"column {c}: " : "";

    internal static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString(),
    };

    private static string Short(string? s) => s is null ? "" : s.Length <= 60 ? s : s[..60] + "…";
}
