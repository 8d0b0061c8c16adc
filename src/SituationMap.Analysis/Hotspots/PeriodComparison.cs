namespace SituationMap.Analysis.Hotspots;

/// <summary>A count compared with a baseline count (see <see cref="PoissonRateTest"/> for the p-value).</summary>
/// <param name="Current">Events in the period of interest.</param>
/// <param name="Baseline">Events in the period compared with.</param>
/// <param name="CurrentExposure">Length of the current period (days), the Poisson exposure.</param>
/// <param name="BaselineExposure">Length of the baseline period (days).</param>
/// <param name="PValue">Two-sided exact conditional p-value for equal daily rates.</param>
public readonly record struct CountChange(long Current, long Baseline, double CurrentExposure, double BaselineExposure, double PValue)
{
    /// <summary>Current − baseline.</summary>
    public long Difference => Current - Baseline;

    /// <summary>100 · (current − baseline)/baseline, or null when the baseline is 0. Raw counts, as CompStat reports them.</summary>
    public double? PercentChange => Baseline == 0 ? null : 100.0 * (Current - Baseline) / Baseline;

    /// <summary>Current daily rate / baseline daily rate (null when the baseline is 0).</summary>
    public double? RateRatio => Baseline == 0 ? null : Current / CurrentExposure / (Baseline / BaselineExposure);

    /// <summary>Whether the change is significant at level α (two-sided).</summary>
    public bool IsSignificant(double alpha = 0.05) => PValue <= alpha;

    /// <summary>The comparison of two counts; exposures default to equal periods. O(current + baseline) at worst.</summary>
    public static CountChange Between(long current, long baseline, double currentExposure = 1, double baselineExposure = 1) =>
        new(current, baseline, currentExposure, baselineExposure, PoissonRateTest.TwoSidedPValue(current, baseline, currentExposure, baselineExposure));
}

/// <summary>One group's CompStat line.</summary>
public sealed record PeriodChange<TKey>(TKey Group, long Current, long Previous, long SameLastYear, CountChange VersusPrevious, CountChange VersusLastYear);

/// <summary>
/// Period-over-period change per group (CompStat): counts in the period [start, end), in the previous period of the same
/// length [start − (end − start), start), and in the same period one calendar year earlier
/// [start.AddYears(−1), end.AddYears(−1)), with the percentage change and an exact conditional (binomial) test of equal
/// daily rates for each comparison (<see cref="PoissonRateTest"/>; exposures are the periods' lengths in days, so a
/// leap day is accounted for). Groups are any key, e.g. (district, category); every group with an event in any of the three
/// periods gets a line, in order of first appearance. O(events + Σ counts).
/// </summary>
public sealed class PeriodComparison
{
    public PeriodComparison(DateTime start, DateTime end)
    {
        if (end <= start) throw new ArgumentException("The period must end after it starts.", nameof(end));
        Start = start;
        End = end;
        PreviousStart = start - (end - start);
        LastYearStart = start.AddYears(-1);
        LastYearEnd = end.AddYears(-1);
    }

    public DateTime Start { get; }

    public DateTime End { get; }

    public DateTime PreviousStart { get; }

    public DateTime LastYearStart { get; }

    public DateTime LastYearEnd { get; }

    public static IReadOnlyList<PeriodChange<TKey>> Compare<TEvent, TKey>(
        IEnumerable<TEvent> events, Func<TEvent, TKey> group, Func<TEvent, DateTime> time, DateTime start, DateTime end)
        where TKey : notnull =>
        new PeriodComparison(start, end).Compare(events, group, time);

    public IReadOnlyList<PeriodChange<TKey>> Compare<TEvent, TKey>(IEnumerable<TEvent> events, Func<TEvent, TKey> group, Func<TEvent, DateTime> time)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(time);
        var counts = new Dictionary<TKey, long[]>();
        var order = new List<TKey>();
        foreach (var e in events)
        {
            var t = time(e);
            int slot;
            if (t >= Start && t < End) slot = 0;
            else if (t >= PreviousStart && t < Start) slot = 1;
            else if (t >= LastYearStart && t < LastYearEnd) slot = 2;
            else continue;
            var key = group(e);
            if (!counts.TryGetValue(key, out var c))
            {
                counts[key] = c = new long[3];
                order.Add(key);
            }
            c[slot]++;
        }
        var days = (End - Start).TotalDays;
        var lastYearDays = (LastYearEnd - LastYearStart).TotalDays;
        var lines = new List<PeriodChange<TKey>>(order.Count);
        foreach (var key in order)
        {
            var c = counts[key];
            lines.Add(new PeriodChange<TKey>(
                key, c[0], c[1], c[2],
                CountChange.Between(c[0], c[1], days, days),
                CountChange.Between(c[0], c[2], days, lastYearDays)));
        }
        return lines;
    }
}
