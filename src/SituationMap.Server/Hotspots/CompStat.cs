using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Hotspots;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Hotspots;

/// <summary>
/// CompStat: incidents per district and category in a period of <c>days</c> days ending at <c>end</c>, against the
/// previous period and the same period a year earlier, with the change in percent and an exact conditional test of equal
/// daily rates (SituationMap.Analysis.Hotspots.PoissonRateTest; exposures are the periods' lengths in days).
/// Optionally only some severity levels ("major criminal cases": severity ≥ 3). One aggregate query (Hotspots/compstat.sql).
/// </summary>
public sealed class CompStat(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly string Sql = SqlResource.Read("Hotspots/compstat.sql");

    public async Task<CompStatTable> ComputeAsync(DateTimeOffset end, int days, double alpha, UserScope scope, int[]? severities, CancellationToken ct)
    {
        var start = end.AddDays(-days);
        var previousStart = start.AddDays(-days);
        var (lastYearStart, lastYearEnd) = (start.AddYears(-1), end.AddYears(-1));
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var d = dataSource.CreateCommand("SELECT code, name FROM districts"))
        await using (var r = await d.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) names[r.GetString(0)] = r.GetString(1);
        }
        await using var cmd = dataSource.CreateCommand(Sql);
        foreach (var t in new[] { start, end, previousStart, lastYearStart, lastYearEnd })
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = t.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)severities ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        var rows = new List<CompStatRow>();
        var lastYearDays = (lastYearEnd - lastYearStart).TotalDays;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var district = r.GetBoolean(2) ? null : r.IsDBNull(0) ? "" : r.GetString(0);
                var category = r.GetBoolean(3) ? null : r.GetString(1);
                var (current, previous, lastYear) = (r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));
                var vsPrevious = CountChange.Between(current, previous, days, days);
                var vsLastYear = CountChange.Between(current, lastYear, days, lastYearDays);
                rows.Add(new CompStatRow(district, district is null ? null : names.GetValueOrDefault(district), category, current, previous, lastYear,
                    Round(vsPrevious.PercentChange), Math.Round(vsPrevious.PValue, 6), vsPrevious.IsSignificant(alpha),
                    Round(vsLastYear.PercentChange), Math.Round(vsLastYear.PValue, 6), vsLastYear.IsSignificant(alpha)));
            }
        }
        return new CompStatTable(start, end, days, alpha, rows, clock.GetUtcNow(), severities);
    }

    public static string ToCsv(CompStatTable table)
    {
        var csv = new StringBuilder("district,district_name,category,current,previous,same_period_last_year,change_vs_previous_percent,p_vs_previous,significant_vs_previous,change_vs_last_year_percent,p_vs_last_year,significant_vs_last_year\n");
        foreach (var r in table.Rows)
        {
            csv.AppendLine(string.Join(',', Audit.AuditApi.Csv(r.District ?? "(all)"), Audit.AuditApi.Csv(r.DistrictName), Audit.AuditApi.Csv(r.Category ?? "(all)"),
                r.Current, r.Previous, r.SameLastYear, F(r.ChangeVsPreviousPercent), F(r.PVsPrevious), r.SignificantVsPrevious ? "yes" : "no",
                F(r.ChangeVsLastYearPercent), F(r.PVsLastYear), r.SignificantVsLastYear ? "yes" : "no"));
        }
        return csv.ToString();
    }

    private static string F(double? v) => v?.ToString("0.######", CultureInfo.InvariantCulture) ?? "";

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 1) : null;
}
