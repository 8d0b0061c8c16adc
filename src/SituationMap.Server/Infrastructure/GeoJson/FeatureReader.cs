using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Infrastructure.GeoJson;

/// <summary>
/// Reads a write request's body: a GeoJSON Feature whose geometry suits the layer and whose properties bind to the
/// layer's write contract. Any problem — malformed JSON, wrong types, unknown properties, NUL characters, a bad
/// geometry — becomes a 400 problem+json naming each place (JSON pointer) and what is wrong.
/// </summary>
public static class FeatureReader
{
    /// <summary>Values the server maintains: accepted (so a client may send back what it read) and ignored.</summary>
    public static readonly IReadOnlySet<string> ServerMaintained =
        new HashSet<string>(["created_at", "updated_at", "view_sector", "length_m", "area_m2", "assigned_incident_id"], StringComparer.Ordinal);

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowTrailingCommas = false };

    public static async Task<(FeatureInput<TWrite>? Input, IResult? Problem)> ReadAsync<TWrite>(
        HttpRequest request, GeometryRule rule, CancellationToken ct) where TWrite : class
    {
        var (root, problem) = await ReadJsonAsync(request, ct);
        if (problem is not null) return (null, problem);
        using (root)
        {
            var problems = new ProblemCollector();
            var input = Bind<TWrite>(root!.RootElement, rule, problems);
            return problems.Any || input is null ? (null, problems.ToResult()) : (input, null);
        }
    }

    /// <summary>Parses a JSON body (application/json or application/geo+json), or says why it cannot.</summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType is not { } contentType
            || !(contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                 || contentType.StartsWith("application/geo+json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type",
                "Unsupported media type.", "Send the body as application/json or application/geo+json."));
        }
        // the body is bounded by Kestrel's MaxRequestBodySize; read it whole to check its encoding before parsing
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            var valid = ValidUtf8Prefix(bytes.Span);
            return (null, ApiProblems.Single("", $"the body is not valid JSON: it is not valid UTF-8 at byte {valid + 1}."));
        }
        try
        {
            return (JsonDocument.Parse(bytes, DocumentOptions), null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            return (null, ApiProblems.Single("", $"the body is not valid JSON{where}: {FirstSentence(e.Message)}"));
        }
    }

    private static int ValidUtf8Prefix(ReadOnlySpan<byte> bytes)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.Done ? bytes.Length : read;
    }

    public static FeatureInput<TWrite>? Bind<TWrite>(JsonElement root, GeometryRule rule, ProblemCollector problems) where TWrite : class
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("", $"the body must be a GeoJSON Feature object, not {GeoJsonGeometryReader.Kind(root)}.");
            return null;
        }
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name is not ("type" or "id" or "geometry" or "properties" or "bbox"))
                problems.Add("/" + member.Name, "unknown member of a Feature (type, id, geometry, properties, bbox).");
        }
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
            problems.Add("/type", "must be \"Feature\".");
        if (!root.TryGetProperty("geometry", out var geometryJson))
            problems.Add("/geometry", "missing; a feature needs a geometry.");
        if (!root.TryGetProperty("properties", out var propertiesJson) || propertiesJson.ValueKind != JsonValueKind.Object)
        {
            problems.Add("/properties", "must be an object with the feature's properties.");
            return null;
        }
        var geometry = geometryJson.ValueKind == JsonValueKind.Undefined
            ? null
            : GeoJsonGeometryReader.Read(geometryJson, "/geometry", rule, problems);
        var properties = BindObject<TWrite>(propertiesJson, "/properties", problems);
        return problems.Any || geometry is null || properties is null ? null : new FeatureInput<TWrite>(geometry, properties);
    }

    /// <summary>Binds a JSON object to a contract record, reporting unknown members, NUL characters and type errors by pointer.</summary>
    public static T? BindObject<T>(JsonElement json, string pointer, ProblemCollector problems) where T : class
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            problems.Add(pointer, $"must be an object, not {GeoJsonGeometryReader.Kind(json)}.");
            return null;
        }
        var known = KnownProperties<T>.ByName;
        var before = problems.Count;
        var ignored = 0;
        foreach (var member in json.EnumerateObject())
        {
            if (ServerMaintained.Contains(member.Name) && !known.ContainsKey(member.Name))
                ignored++;
            else if (!known.ContainsKey(member.Name))
                problems.Add($"{pointer}/{Escape(member.Name)}", $"unknown property; expected one of: {string.Join(", ", known.Keys)}.");
            else
                CheckStrings(member.Value, $"{pointer}/{Escape(member.Name)}", problems);
        }
        if (problems.Count > before) return null;
        try
        {
            if (ignored == 0) return json.Deserialize<T>(ApiJson.Options);
            var copy = System.Text.Json.Nodes.JsonObject.Create(json)!;
            foreach (var name in ServerMaintained) copy.Remove(name);
            return copy.Deserialize<T>(ApiJson.Options);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 1 } p ? p[1..].Replace('.', '/').Replace("[", "/").Replace("]", "") : "";
            var name = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            var message = e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && name is not null
                          && known.TryGetValue(name, out var prop)
                ? $"expected {Describe(prop.PropertyType)}."
                : FirstSentence(e.Message);
            problems.Add(pointer + (path.Length > 0 ? "/" + path.TrimStart('/') : ""), message);
            return null;
        }
    }

    /// <summary>A contract's settable JSON properties by name, computed once per type (imports bind 100,000s of rows).</summary>
    private static class KnownProperties<T>
    {
        public static readonly Dictionary<string, JsonPropertyInfo> ByName = ApiJson.Options.GetTypeInfo(typeof(T)).Properties
            .Where(p => p.Set is not null || p.AssociatedParameter is not null)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    private static void CheckStrings(JsonElement value, string pointer, ProblemCollector problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString()!.Contains('\0'):
                problems.Add(pointer, "must not contain the NUL character (U+0000).");
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray()) CheckStrings(item, $"{pointer}/{i++}", problems);
                break;
            case JsonValueKind.Object:
                foreach (var m in value.EnumerateObject()) CheckStrings(m.Value, $"{pointer}/{Escape(m.Name)}", problems);
                break;
        }
    }

    private static string Describe(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(int) || t == typeof(long) || t == typeof(short)) return "an integer";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "a number";
        if (t == typeof(string)) return "a string";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(DateTimeOffset)) return "an ISO 8601 date-time with an offset, e.g. 2026-11-25T08:30:00+08:00";
        if (t.IsArray || (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))) return "an array";
        return "a value of type " + t.Name;
    }

    private static string Escape(string name) => name.Replace("~", "~0").Replace("/", "~1");

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
