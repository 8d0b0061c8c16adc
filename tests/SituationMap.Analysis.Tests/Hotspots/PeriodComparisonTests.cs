using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>CompStat period comparison and the exact conditional test of two Poisson counts (values from scipy 1.10's binomtest).</summary>
public sealed class PeriodComparisonTests
{
    [Theory]
    [InlineData(30, 18, 1, 1, 0.11140289106101878)]
    [InlineData(120, 90, 1, 1, 0.0451140878648407)]
    [InlineData(5, 0, 1, 1, 0.0625)]
    [InlineData(0, 7, 1, 1, 0.015625)]
    [InlineData(1523, 1410, 1, 1, 0.03861678585779575)]
    [InlineData(10, 10, 1, 1, 1.0)]
    [InlineData(3, 9, 1, 1, 0.14599609375)]
    [InlineData(40, 25, 31, 30, 0.10610833071997436)]  // binomtest(40, 65, 31/61)
    [InlineData(12, 30, 28, 29, 0.008312274384112184)] // binomtest(12, 42, 28/57)
    public void ExactConditionalPValueEqualsScipysBinomialTest(long current, long baseline, double currentDays, double baselineDays, double expected)
    {
        // tolerance 1e-9 relative
        var p = PoissonRateTest.TwoSidedPValue(current, baseline, currentDays, baselineDays);
        Assert.True(Math.Abs(p - expected) <= 1e-9 * expected, $"expected {expected:R}, got {p:R}");
    }

    [Fact]
    public void NoEventsAtAllIsNoEvidenceOfChange()
    {
        var change = CountChange.Between(0, 0);
        Assert.Equal(1, change.PValue);
        Assert.Null(change.PercentChange);
        Assert.False(change.IsSignificant());
    }

    [Fact]
    public void VeryLargeChangesHaveTinyButPositivePValues()
    {
        var p = PoissonRateTest.TwoSidedPValue(5000, 3000);
        Assert.InRange(p, 1e-300, 1e-100);
        Assert.Equal(p, PoissonRateTest.TwoSidedPValue(3000, 5000), p * 1e-9);  // symmetric for equal exposures
    }

    [Fact]
    public void CompStatLinesCountThisPeriodThePreviousPeriodAndTheSamePeriodLastYear()
    {
        // week of Monday 2024-03-04; previous week 2024-02-26; same week last year 2023-03-04 .. 2023-03-11
        var start = new DateTime(2024, 3, 4);
        var end = start.AddDays(7);
        var events = new List<(string District, string Category, DateTime Time)>();
        void Add(string district, string category, DateTime first, int count)
        {
            for (var i = 0; i < count; i++) events.Add((district, category, first.AddHours(i)));
        }
        Add("001", "THEFT", start, 30);
        Add("001", "THEFT", start.AddDays(-7), 18);
        Add("001", "THEFT", new DateTime(2023, 3, 4), 20);
        Add("002", "BATTERY", start.AddDays(1), 3);
        Add("002", "BATTERY", new DateTime(2023, 3, 5), 9);
        Add("001", "THEFT", end, 50);              // after the period: ignored
        Add("001", "THEFT", start.AddDays(-8), 20); // the day before the previous period: ignored
        var lines = PeriodComparison.Compare(events, e => (e.District, e.Category), e => e.Time, start, end);
        Assert.Equal(2, lines.Count);
        var theft = lines[0];
        Assert.Equal((("001", "THEFT"), 30L, 18L, 20L), (theft.Group, theft.Current, theft.Previous, theft.SameLastYear));
        Assert.Equal(66.666666666666671, theft.VersusPrevious.PercentChange!.Value, 1e-9);
        Assert.Equal(0.11140289106101878, theft.VersusPrevious.PValue, 1e-12);
        Assert.Equal(50, theft.VersusLastYear.PercentChange!.Value, 1e-9);
        var battery = lines[1];
        Assert.Equal((3L, 0L, 9L), (battery.Current, battery.Previous, battery.SameLastYear));
        Assert.Null(battery.VersusPrevious.PercentChange);
        Assert.Equal(0.14599609375, battery.VersusLastYear.PValue, 1e-12);
        Assert.Equal(-66.666666666666671, battery.VersusLastYear.PercentChange!.Value, 1e-9);
    }

    [Fact]
    public void ALeapDayLengthensLastYearsExposure()
    {
        // 2025-02-01 .. 2025-03-01 (28 days) against 2024-02-01 .. 2024-03-01 (29 days)
        var comparison = new PeriodComparison(new DateTime(2025, 2, 1), new DateTime(2025, 3, 1));
        var events = new[] { new DateTime(2025, 2, 10), new DateTime(2024, 2, 29) };
        var line = Assert.Single(comparison.Compare(events, _ => "all", t => t));
        Assert.Equal((28.0, 29.0), (line.VersusLastYear.CurrentExposure, line.VersusLastYear.BaselineExposure));
        Assert.Equal(29.0 / 28, line.VersusLastYear.RateRatio!.Value, 1e-12);
    }
}
