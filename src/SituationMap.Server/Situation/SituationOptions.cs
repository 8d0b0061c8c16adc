using System.Globalization;

namespace SituationMap.Server.Situation;

/// <summary>Configuration section "Situation": when shifts start, in which time zone.</summary>
public sealed class SituationOptions
{
    /// <summary>Local times at which shifts start (default 08:00 and 20:00).</summary>
    public List<string> ShiftStarts { get; set; } = ["08:00", "20:00"];

    /// <summary>IANA time zone of the command center (default Asia/Shanghai, the demo city's).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The most recent shift start at or before <paramref name="now"/>.</summary>
    public DateTimeOffset CurrentShiftStart(DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var starts = ShiftStarts.Select(s => TimeOnly.ParseExact(s, "HH:mm", CultureInfo.InvariantCulture)).Order().ToList();
        for (var day = 0; day < 2; day++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(-day);
            foreach (var start in Enumerable.Reverse(starts))
            {
                var wall = date.ToDateTime(start);
                var candidate = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
                if (candidate <= now) return candidate.ToUniversalTime();
            }
        }
        return now.AddHours(-12);
    }
}
