using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Interop.Exports;

/// <summary>
/// A layer's GeoJSON properties (TProps serialized with <see cref="ApiJson.Options"/>, so the snake_case names and
/// wire values of the API) as flat export columns. Each column's kind comes from its CLR type before any row is read
/// (files with a schema need it up front): integers → Integer, floating point → Real, bool → Boolean, instants →
/// DateTime, enums → Text or Integer as they serialize (PatrolLevel is a number), everything else → Text, with
/// arrays, objects and geometries as their JSON text.
/// </summary>
public sealed class ExportColumns
{
    private static readonly ConcurrentDictionary<Type, ExportColumns> Cache = new();

    private readonly Type _type;

    private ExportColumns(Type propertiesType)
    {
        _type = propertiesType;
        Fields = ApiJson.Options.GetTypeInfo(propertiesType).Properties
            .Where(p => p.Get is not null)
            .Select(p => new ExportField(p.Name, KindOf(p.PropertyType)))
            .ToArray();
    }

    public IReadOnlyList<ExportField> Fields { get; }

    public static ExportColumns For(Type propertiesType) => Cache.GetOrAdd(propertiesType, t => new ExportColumns(t));

    /// <summary>The values of one feature's properties, aligned with <see cref="Fields"/> (see <see cref="FieldValues"/> for their types).</summary>
    public object?[] Values(object properties)
    {
        var json = JsonSerializer.SerializeToElement(properties, _type, ApiJson.Options);
        var values = new object?[Fields.Count];
        for (var i = 0; i < Fields.Count; i++)
        {
            values[i] = json.TryGetProperty(Fields[i].Name, out var v) ? Value(v, Fields[i].Kind) : null;
        }
        return values;
    }

    /// <summary>The layer's geometry type as the formats name it: Point, or the multi type of lines and areas (what the tables store).</summary>
    public static string GeometryTypeOf(Type clrType) => clrType switch
    {
        _ when clrType == typeof(Point) => "Point",
        _ when clrType == typeof(MultiPoint) => "MultiPoint",
        _ when clrType == typeof(LineString) || clrType == typeof(MultiLineString) => "MultiLineString",
        _ when clrType == typeof(Polygon) || clrType == typeof(MultiPolygon) => "MultiPolygon",
        _ => throw new ArgumentException($"No export geometry type for {clrType.Name}.", nameof(clrType)),
    };

    /// <summary>A geometry promoted to the layer's multi type when it is a single line or polygon.</summary>
    public static Geometry? Promote(Geometry? geometry, string geometryType) => (geometry, geometryType) switch
    {
        (LineString line, "MultiLineString") => line.Factory.CreateMultiLineString([line]),
        (Polygon polygon, "MultiPolygon") => polygon.Factory.CreateMultiPolygon([polygon]),
        _ => geometry,
    };

    private static FieldKind KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool)) return FieldKind.Boolean;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return FieldKind.DateTime;
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return FieldKind.Real;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)) return FieldKind.Integer;
        if (type.IsEnum)
        {
            var sample = Enum.GetValues(type).GetValue(0);
            return JsonSerializer.SerializeToElement(sample, type, ApiJson.Options).ValueKind == JsonValueKind.Number ? FieldKind.Integer : FieldKind.Text;
        }
        return FieldKind.Text;
    }

    private static object? Value(JsonElement v, FieldKind kind) => (v.ValueKind, kind) switch
    {
        (JsonValueKind.Null or JsonValueKind.Undefined, _) => null,
        (JsonValueKind.Number, FieldKind.Integer) => v.GetInt64(),
        (JsonValueKind.Number, FieldKind.Real) => v.GetDouble(),
        (JsonValueKind.True or JsonValueKind.False, FieldKind.Boolean) => v.GetBoolean(),
        (JsonValueKind.String, FieldKind.DateTime) => DateTimeOffset.Parse(v.GetString()!, CultureInfo.InvariantCulture),
        (JsonValueKind.String, _) => v.GetString(),
        _ => v.GetRawText(),
    };
}
