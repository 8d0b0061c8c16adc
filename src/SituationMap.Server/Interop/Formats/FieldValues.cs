using System.Globalization;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// The values an <see cref="ExportFeature"/> carries, per <see cref="FieldKind"/>: Text a string, Integer a long, Real a
/// double, Boolean a bool, DateTime a DateTimeOffset (null for any kind when missing). Writers read them through these
/// helpers so every format spells numbers and instants the same invariant way.
/// </summary>
public static class FieldValues
{
    /// <summary>RFC 3339 in UTC with as many fraction digits as needed, e.g. 2026-03-01T08:00:00Z.</summary>
    public static string Iso(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static long Integer(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    public static double Real(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    public static bool Boolean(object value) => Convert.ToBoolean(value, CultureInfo.InvariantCulture);

    public static DateTimeOffset Instant(object value) => value switch
    {
        DateTimeOffset t => t,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, d.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : d.Kind)),
        _ => DateTimeOffset.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
    };

    /// <summary>The value as text in the invariant spelling of its kind ("R" round-trip doubles, true/false, ISO instants); null stays null.</summary>
    public static string? Text(object? value, FieldKind kind) => value switch
    {
        null => null,
        _ => kind switch
        {
            FieldKind.Integer => Integer(value).ToString(CultureInfo.InvariantCulture),
            FieldKind.Real => Real(value).ToString("R", CultureInfo.InvariantCulture),
            FieldKind.Boolean => Boolean(value) ? "true" : "false",
            FieldKind.DateTime => Iso(Instant(value)),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        },
    };
}
