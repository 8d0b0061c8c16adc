using System.Globalization;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Infrastructure.Layers;

/// <summary>Small validation rules shared by the layers; each reports at "/properties/&lt;name&gt;".</summary>
public static class PropertyRules
{
    public static string At(string property) => "/properties/" + property;

    public static void Required<T>(T? value, string property, ProblemCollector problems, string? hint = null)
    {
        if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
            problems.Add(At(property), "is required" + (hint is null ? "." : $"; {hint}."));
    }

    public static void RequiredEnum<TEnum>(TEnum? value, string property, ProblemCollector problems) where TEnum : struct, Enum =>
        Required(value, property, problems, "one of " + string.Join(", ", WireNames.All<TEnum>()));

    public static void Text(string? value, string property, int maxLength, ProblemCollector problems)
    {
        if (value is null) return;
        if (value.Length > maxLength) problems.Add(At(property), $"is {value.Length} characters long; at most {maxLength} are allowed.");
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            problems.Add(At(property), "must not contain control characters.");
    }

    public static void Range(double? value, string property, double min, double max, ProblemCollector problems,
        bool minExclusive = false, bool maxExclusive = false)
    {
        if (value is not { } v) return;
        var ok = double.IsFinite(v) && (minExclusive ? v > min : v >= min) && (maxExclusive ? v < max : v <= max);
        if (!ok)
        {
            problems.Add(At(property), string.Create(CultureInfo.InvariantCulture,
                $"{v} is outside {(minExclusive ? '(' : '[')}{min}, {max}{(maxExclusive ? ')' : ']')}."));
        }
    }

    /// <summary>A code such as a source system or district: letters, digits, '_', '-', '.'.</summary>
    public static void Code(string? value, string property, int maxLength, ProblemCollector problems)
    {
        if (value is null) return;
        if (value.Length == 0 || value.Length > maxLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            problems.Add(At(property), $"must be 1 to {maxLength} letters, digits, '_', '-' or '.'.");
    }

    public static void NotFuture(DateTimeOffset? value, string property, ProblemCollector problems)
    {
        if (value is { } v && v > DateTimeOffset.UtcNow.AddMinutes(5))
            problems.Add(At(property), "lies in the future (more than 5 minutes of clock skew).");
    }
}

/// <summary>Parses the comma-separated filter values of list endpoints (?category=violent,robbery).</summary>
public static class FilterValues
{
    public static TEnum[]? Enums<TEnum>(string? raw, string name, ProblemCollector problems) where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(raw)) return null;
        var result = new List<TEnum>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries))
        {
            if (WireNames.TryParse<TEnum>(part, out var v)) result.Add(v);
            else problems.Add("?" + name, $"'{(part.Length > 40 ? part[..40] + "…" : part)}' is not one of: {string.Join(", ", WireNames.All<TEnum>())}.");
        }
        return result.ToArray();
    }

    public static int[]? Integers(string? raw, string name, int min, int max, ProblemCollector problems)
    {
        if (string.IsNullOrEmpty(raw)) return null;
        var result = new List<int>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) result.Add(v);
            else problems.Add("?" + name, $"'{(part.Length > 40 ? part[..40] + "…" : part)}' is not an integer in [{min}, {max}].");
        }
        return result.ToArray();
    }

    /// <summary>Comma-separated codes (districts, road classes): letters, digits, '_', '-', '.', at most 64 each.</summary>
    public static string[]? Codes(string? raw, string name, ProblemCollector problems)
    {
        if (string.IsNullOrEmpty(raw)) return null;
        var codes = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var code in codes.Where(c => c.Length > 64 || !c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.')))
            problems.Add("?" + name, $"'{(code.Length > 40 ? code[..40] + "…" : code)}' is not a code (letters, digits, '_', '-', '.').");
        return codes;
    }

    /// <summary>ISO 8601 with offset; null (with a problem) otherwise.</summary>
    public static DateTimeOffset? Time(string? raw, string name, ProblemCollector problems)
    {
        if (string.IsNullOrEmpty(raw)) return null;
        if (raw.Contains('T') && (raw.EndsWith('Z') || raw.LastIndexOfAny(['+', '-']) > 10)
            && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            return t.ToUniversalTime(); // the same instant; Npgsql sends timestamptz parameters only with offset 0
        }
        problems.Add("?" + name, "expected an ISO 8601 date-time with an offset, e.g. 2026-11-25T08:30:00Z (URL-encode '+' as %2B).");
        return null;
    }

    public static void Window(DateTimeOffset? from, DateTimeOffset? to, ProblemCollector problems)
    {
        if (from is { } f && to is { } t && f > t) problems.Add("?from", "must not be after 'to'.");
    }

    /// <summary>?from and ?to (ISO 8601 with offset; from ≤ to): the window [from, to) of a list's time column.</summary>
    public static TimeWindow TimeWindow(string? from, string? to, ProblemCollector problems)
    {
        var start = Time(from, "from", problems);
        var end = Time(to, "to", problems);
        Window(start, end, problems);
        return new TimeWindow(start, end);
    }
}

/// <summary>A validated list time window: from inclusive, to exclusive; either end may be open (null).</summary>
public readonly record struct TimeWindow(DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>Rows whose time (a column that may be NULL) lies in the window; rows without a time never match a bounded window.</summary>
    public IQueryable<T> Apply<T>(IQueryable<T> query, System.Linq.Expressions.Expression<Func<T, DateTimeOffset?>> time)
    {
        if (From is { } from) query = query.Where(Compare(time, from, System.Linq.Expressions.ExpressionType.GreaterThanOrEqual));
        if (To is { } to) query = query.Where(Compare(time, to, System.Linq.Expressions.ExpressionType.LessThan));
        return query;
    }

    private static System.Linq.Expressions.Expression<Func<T, bool>> Compare<T>(System.Linq.Expressions.Expression<Func<T, DateTimeOffset?>> time,
        DateTimeOffset bound, System.Linq.Expressions.ExpressionType op)
    {
        DateTimeOffset? value = bound;
        System.Linq.Expressions.Expression<Func<DateTimeOffset?>> parameter = () => value; // a query parameter, not a literal
        var body = System.Linq.Expressions.Expression.MakeBinary(op, time.Body, parameter.Body);
        return System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(body, time.Parameters);
    }
}
