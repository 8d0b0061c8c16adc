using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SituationMap.Analysis.Domain;

namespace SituationMap.Server.Infrastructure.Database;

/// <summary>Stores an enum as its snake_case wire name (text column), the same string the API and tiles use.</summary>
public sealed class WireNameConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => WireNames.Of(v),
    s => WireNames.Parse<TEnum>(s))
    where TEnum : struct, Enum
{
    /// <summary>SQL list of the allowed values, for CHECK constraints: 'a', 'b', 'c'.</summary>
    public static string SqlValues => string.Join(", ", WireNames.All<TEnum>().Select(n => $"'{n}'"));
}
