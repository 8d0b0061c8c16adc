using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;

namespace SituationMap.Analysis.Domain;

/// <summary>
/// The snake_case names under which enum values are stored and exchanged ("property_theft", "on_scene").
/// One table per enum type, built once; parsing is exact (no integers, no case folding).
/// </summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, (FrozenDictionary<string, object> ByName, FrozenDictionary<object, string> ByValue)> Tables = new();

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Table(typeof(TEnum)).ByValue[value];

    public static bool TryParse<TEnum>(string? name, out TEnum value) where TEnum : struct, Enum
    {
        if (name is not null && Table(typeof(TEnum)).ByName.TryGetValue(name, out var boxed))
        {
            value = (TEnum)boxed;
            return true;
        }
        value = default;
        return false;
    }

    public static TEnum Parse<TEnum>(string name) where TEnum : struct, Enum =>
        TryParse<TEnum>(name, out var value)
            ? value
            : throw new FormatException($"'{name}' is not one of {string.Join(", ", All<TEnum>())}.");

    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => Of(v)).ToArray();

    public static string ToSnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static (FrozenDictionary<string, object> ByName, FrozenDictionary<object, string> ByValue) Table(Type type) =>
        Tables.GetOrAdd(type, t =>
        {
            var values = Enum.GetValues(t).Cast<object>().ToArray();
            return (values.ToFrozenDictionary(v => ToSnakeCase(v.ToString()!), v => v, StringComparer.Ordinal),
                    values.ToFrozenDictionary(v => v, v => ToSnakeCase(v.ToString()!)));
        });
}
