using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Hotspots;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Privacy;
using SituationMap.Server.Situation;

namespace SituationMap.Server.Interop.Rendering;

/// <summary>An increase of one district × category against the previous period of the same length (exact rate test); at least <see cref="BriefData.MinChangeCount"/> now.</summary>
public sealed record BriefChange(string District, string Category, int Current, int Previous, CountChange Change);

/// <summary>A high-severity incident of the period; the address is redacted (PersonalDataRedactor).</summary>
public sealed record BriefIncident(long Id, DateTimeOffset OccurredAt, string Category, string Status, string? District, string? Address);

/// <summary>
/// What a one-page situation brief shows: the period (the last <see cref="Hours"/> hours), the account and its scope,
/// the situation counters (SituationService: open incidents by severity, units and cameras by status, the open count at
/// the period's start when a snapshot exists), incidents of the period by category × status, the largest increases by
/// district × category against the previous period, the newest severity-4 incidents and the map of the box.
/// </summary>
public sealed record BriefData(
    DateTimeOffset From, DateTimeOffset To, int Hours, string Account, UserScope Scope, SituationSummary Situation,
    IReadOnlyDictionary<(string Category, string Status), int> ByCategoryStatus, int InPeriod, int InPreviousPeriod,
    IReadOnlyList<BriefChange> TopChanges, IReadOnlyList<BriefIncident> Severe, MapScene Map)
{
    public const int MaxChanges = 6;
    public const int MaxSevere = 6;
    public const int MinChangeCount = 2;
}

/// <summary>
/// Reads a <see cref="BriefData"/>: the situation counters through <see cref="SituationService"/>, the period's counts in
/// one aggregate (Interop/Rendering/brief_counts.sql), the severe incidents (brief_severe.sql) and the map scene
/// (<see cref="MapSceneReader"/>). Comparisons use <see cref="CountChange.Between"/> from SituationMap.Analysis.
/// </summary>
public sealed class SituationBriefReader(NpgsqlDataSource dataSource, SituationService situation, MapSceneReader maps)
{
    private static readonly string CountsSql = SqlResource.Read("Interop/Rendering/brief_counts.sql");
    private static readonly string SevereSql = SqlResource.Read("Interop/Rendering/brief_severe.sql");
    private static readonly string ExtentSql = SqlResource.Read("Interop/Rendering/brief_extent.sql");

    /// <summary>The extent of the scope's districts (WGS84), or null when there are none.</summary>
    public async Task<NetTopologySuite.Geometries.Envelope?> DistrictExtentAsync(UserScope scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(ExtentSql);
        cmd.Parameters.Add(Districts(scope));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || r.IsDBNull(0)) return null;
        return new NetTopologySuite.Geometries.Envelope(r.GetDouble(0), r.GetDouble(2), r.GetDouble(1), r.GetDouble(3));
    }

    public async Task<BriefData> ReadAsync(MapView view, int hours, string account, UserScope scope, CancellationToken ct)
    {
        var (from, to) = (view.From, view.To);
        var summary = situation.SummaryAsync(from, scope, ct);
        var map = maps.ReadAsync(view, scope, ct);
        var byCategoryStatus = new Dictionary<(string, string), int>();
        var byDistrictCategory = new Dictionary<(string, string), (int Current, int Previous)>();
        var (inPeriod, inPrevious) = (0, 0);
        await using (var cmd = dataSource.CreateCommand(CountsSql))
        {
            foreach (var t in new[] { from, to, from.AddHours(-hours) })
                cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = t.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            cmd.Parameters.Add(Districts(scope));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var (district, category, status) = (r.IsDBNull(0) ? "(none)" : r.GetString(0), r.GetString(1), r.GetString(2));
                var (current, previous) = (r.GetInt32(3), r.GetInt32(4));
                if (current > 0) byCategoryStatus[(category, status)] = byCategoryStatus.GetValueOrDefault((category, status)) + current;
                var sums = byDistrictCategory.GetValueOrDefault((district, category));
                byDistrictCategory[(district, category)] = (sums.Current + current, sums.Previous + previous);
                inPeriod += current;
                inPrevious += previous;
            }
        }
        var names = await DistrictNamesAsync(ct);
        // a single incident where there was none is not a trend: an increase needs at least two incidents now
        var changes = byDistrictCategory.Where(kv => kv.Value.Current > kv.Value.Previous && kv.Value.Current >= BriefData.MinChangeCount)
            .Select(kv => new BriefChange(names.GetValueOrDefault(kv.Key.Item1, kv.Key.Item1), kv.Key.Item2, kv.Value.Current, kv.Value.Previous,
                CountChange.Between(kv.Value.Current, kv.Value.Previous)))
            .OrderByDescending(c => c.Current - c.Previous).ThenBy(c => c.Change.PValue).ThenBy(c => c.District, StringComparer.Ordinal)
            .Take(BriefData.MaxChanges).ToList();
        var severe = new List<BriefIncident>();
        await using (var cmd = dataSource.CreateCommand(SevereSql))
        {
            foreach (var t in new[] { from, to })
                cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = t.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BriefData.MaxSevere });
            cmd.Parameters.Add(Districts(scope));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                severe.Add(new BriefIncident(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetString(4), PersonalDataRedactor.Redact(r.IsDBNull(5) ? null : r.GetString(5))));
            }
        }
        return new BriefData(from, to, hours, account, scope, await summary, byCategoryStatus, inPeriod, inPrevious, changes, severe, await map);
    }

    private async Task<Dictionary<string, string>> DistrictNamesAsync(CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var cmd = dataSource.CreateCommand("SELECT code, coalesce(name_en, name) FROM districts");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) names[r.GetString(0)] = r.GetString(1);
        return names;
    }

    private static NpgsqlParameter Districts(UserScope scope) =>
        new() { Value = (object?)scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
