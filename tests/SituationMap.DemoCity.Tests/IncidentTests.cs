using System.Text.RegularExpressions;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using static SituationMap.DemoCity.Tests.DemoCityUnderTest;

namespace SituationMap.DemoCity.Tests;

public sealed partial class IncidentTests
{
    private static readonly TimeSpan Local = TimeSpan.FromHours(8);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(5_000)]
    public void ExactlyTheRequestedNumberIsStreamed(int count)
    {
        var incidents = DemoCityGenerator.GenerateIncidents(Options with { IncidentCount = count }, Layers).ToList();
        Assert.Equal(count, incidents.Count);
        Assert.Equal(count, incidents.Select(i => i.ExternalId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ANegativeCountIsRejectedBeforeAnythingIsStreamed() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCityGenerator.GenerateIncidents(Options with { IncidentCount = -1 }, Layers));

    [Fact]
    public void TimestampsAreUtcWhateverTheOffsetOfTheYearEnd()
    {
        // the server passes "now" rounded to the minute; a local offset must not leak into timestamptz values
        var options = Options with { IncidentCount = 2_000, YearEnd = new DateTimeOffset(2026, 6, 1, 14, 37, 0, TimeSpan.FromHours(8)) };
        var incidents = DemoCityGenerator.GenerateIncidents(options, Layers).ToList();
        Assert.All(incidents, i =>
        {
            Assert.Equal(TimeSpan.Zero, i.OccurredAt.Offset);
            Assert.Equal(TimeSpan.Zero, i.ReportedAt.Offset);
            Assert.InRange(i.OccurredAt, options.YearEnd.AddDays(-365), options.YearEnd.AddTicks(-1));
            Assert.True(i.ReportedAt < options.YearEnd);
        });
        Assert.Equal(incidents.OrderBy(i => i.OccurredAt).Select(i => i.ExternalId), incidents.Select(i => i.ExternalId));
    }

    [Fact]
    public void TheDefaultYearHasOneHundredThousandIncidentsNumberedInOrder()
    {
        Assert.Equal(100_000, Incidents.Count);
        Assert.Equal("demo-0000001", Incidents[0].ExternalId);
        Assert.Equal("demo-0100000", Incidents[^1].ExternalId);
    }

    [Fact]
    public void IncidentsAscendInTimeWithinTheYearAndAreReportedMinutesLater()
    {
        var start = Options.YearEnd.AddDays(-365);
        DateTimeOffset previous = start;
        var delays = new List<double>(Incidents.Count);
        foreach (var i in Incidents)
        {
            Assert.True(i.OccurredAt >= previous, $"{i.ExternalId} is out of order");
            Assert.True(i.OccurredAt < Options.YearEnd && i.ReportedAt < Options.YearEnd);
            Assert.Equal(TimeSpan.Zero, i.OccurredAt.Offset);
            Assert.InRange(i.ReportedAt - i.OccurredAt, TimeSpan.Zero, TimeSpan.FromHours(6));
            delays.Add((i.ReportedAt - i.OccurredAt).TotalMinutes);
            previous = i.OccurredAt;
        }
        delays.Sort();
        Assert.InRange(delays[delays.Count / 2], 2, 30); // median minutes
        // every day of the year has incidents
        Assert.Equal(365, Incidents.Select(i => (i.OccurredAt - start).Days).Distinct().Count());
    }

    [Fact]
    public void TheCategoryMixIsPlausible()
    {
        double Share(IncidentCategory c) => Incidents.Count(i => i.Category == c) / (double)Incidents.Count;
        Assert.InRange(Share(IncidentCategory.Dispute), 0.16, 0.24);
        Assert.InRange(Share(IncidentCategory.Traffic), 0.14, 0.22);
        Assert.InRange(Share(IncidentCategory.PropertyTheft), 0.13, 0.21);
        Assert.InRange(Share(IncidentCategory.Fraud), 0.07, 0.13);
        Assert.InRange(Share(IncidentCategory.PublicOrder), 0.06, 0.12);
        Assert.InRange(Share(IncidentCategory.Other), 0.07, 0.13);
        Assert.InRange(Share(IncidentCategory.Burglary), 0.04, 0.08);
        Assert.InRange(Share(IncidentCategory.Violent), 0.03, 0.07);
        Assert.InRange(Share(IncidentCategory.FireHazard), 0.02, 0.05);
        Assert.InRange(Share(IncidentCategory.Robbery), 0.005, 0.025);
    }

    [Fact]
    public void ViolenceAndRobberyAreMoreSevereThanDisputesAndTheft()
    {
        Assert.All(Incidents, i => Assert.InRange(i.Severity, 1, 4));
        double Mean(IncidentCategory c) => Incidents.Where(i => i.Category == c).Average(i => i.Severity);
        Assert.True(Mean(IncidentCategory.Violent) > Mean(IncidentCategory.Dispute) + 1);
        Assert.True(Mean(IncidentCategory.Robbery) > Mean(IncidentCategory.PropertyTheft) + 1);
    }

    [Fact]
    public void UrbanVillagesAndFringesAreHotspots()
    {
        var cityKm2 = Metric(City).Area / 1e6;
        var average = Incidents.Count / cityKm2;
        double PerKm2(ZoneKind kind, Func<DemoIncident, bool>? filter = null)
        {
            var zones = Layers.Zones.Where(z => z.Kind == kind).ToList();
            var locators = zones.Select(z => new IndexedPointInAreaLocator(z.Area)).ToList();
            var area = zones.Sum(z => Metric(z.Area).Area) / 1e6;
            var inside = Incidents.Where(filter ?? (_ => true)).Count(i => locators.Any(l => l.Locate(i.Location.Coordinate) != Location.Exterior));
            return inside / area;
        }
        var villages = PerKm2(ZoneKind.UrbanVillage);
        var fringes = PerKm2(ZoneKind.UrbanRuralFringe);
        Assert.True(villages > 4 * average, $"urban villages {villages:F0}/km² vs city average {average:F0}/km²");
        Assert.True(fringes > 1.5 * average, $"fringes {fringes:F0}/km² vs city average {average:F0}/km²");
        // burglary in particular concentrates in the fringe
        var burglaryAverage = Incidents.Count(i => i.Category == IncidentCategory.Burglary) / cityKm2;
        var burglaryFringe = PerKm2(ZoneKind.UrbanRuralFringe, i => i.Category == IncidentCategory.Burglary);
        Assert.True(burglaryFringe > 3 * burglaryAverage, $"fringe burglary {burglaryFringe:F1}/km² vs {burglaryAverage:F1}/km²");
    }

    [Fact]
    public void IncidentsFollowPopulationDensityTowardsTheCore()
    {
        var centre = Metric(City.Centroid);
        var distances = Incidents.Select(i => Metric(i.Location).Distance(centre) / 1e3).ToList();
        double PerKm2(double from, double to) => distances.Count(d => d >= from && d < to) / (Math.PI * ((to * to) - (from * from)));
        Assert.True(PerKm2(0, 2) > 8 * PerKm2(8, 10), $"core {PerKm2(0, 2):F0}/km² vs outskirts {PerKm2(8, 10):F0}/km²");
    }

    [Fact]
    public void ViolenceAndDisorderHappenAtNightMoreThanFraud()
    {
        static bool Night(DemoIncident i) => i.OccurredAt.ToOffset(Local).Hour is >= 20 or < 4;
        double NightShare(params IncidentCategory[] categories)
        {
            var selected = Incidents.Where(i => categories.Contains(i.Category)).ToList();
            return selected.Count(Night) / (double)selected.Count;
        }
        var violent = NightShare(IncidentCategory.Violent, IncidentCategory.PublicOrder);
        var fraud = NightShare(IncidentCategory.Fraud);
        Assert.True(violent > 0.4, $"night share of violence and disorder {violent:P0}");
        Assert.True(violent > 2.5 * fraud, $"night share: violence and disorder {violent:P0}, fraud {fraud:P0}");
    }

    [Fact]
    public void TrafficIncidentsPeakInTheRushHoursAndLieOnMainRoads()
    {
        var traffic = Incidents.Where(i => i.Category == IncidentCategory.Traffic).ToList();
        var rush = traffic.Count(i => i.OccurredAt.ToOffset(Local).Hour is 7 or 8 or 17 or 18) / (double)traffic.Count;
        Assert.True(rush > 2 * (4.0 / 24), $"rush-hour share of traffic incidents {rush:P0}");
        var mainRoads = new NetTopologySuite.Index.Strtree.STRtree<LineString>();
        foreach (var r in Layers.Roads.Where(r => r.Class is "trunk" or "primary" or "secondary"))
        {
            var line = Metric(r.Geometry);
            mainRoads.Insert(line.EnvelopeInternal, line);
        }
        var sample = traffic.Where((_, k) => k % 10 == 0).ToList();
        var near = sample.Count(i =>
        {
            var p = Metric(i.Location);
            var search = new Envelope(p.Coordinate);
            search.ExpandBy(30);
            return mainRoads.Query(search).Any(l => l.Distance(p) <= 30);
        });
        Assert.True(near > 0.8 * sample.Count, $"{near} of {sample.Count} traffic incidents within 30 m of a main road");
    }

    [Fact]
    public void NightlifeTroublePeaksOnFridayAndSaturdayNights()
    {
        static bool WeekendNight(DateTimeOffset t) => t.ToOffset(Local) is var l && l.Hour >= 20 && l.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday;
        static bool WeekdayNight(DateTimeOffset t) => t.ToOffset(Local) is var l && l.Hour >= 20 && l.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Tuesday or DayOfWeek.Wednesday or DayOfWeek.Thursday;
        var trouble = Incidents.Where(i => i.Category is IncidentCategory.Violent or IncidentCategory.PublicOrder).ToList();
        var perWeekendNight = trouble.Count(i => WeekendNight(i.OccurredAt)) / 2.0;
        var perWeekdayNight = trouble.Count(i => WeekdayNight(i.OccurredAt)) / 4.0;
        Assert.True(perWeekendNight > 1.15 * perWeekdayNight, $"{perWeekendNight:F0} per Friday/Saturday night vs {perWeekdayNight:F0} per weekday night");
    }

    [Fact]
    public void SummerIsBusierThanTheSpringFestival()
    {
        // default year: November 2025 – October 2026; Spring Festival 2026 is 17 February
        double PerDay(DateOnly from, DateOnly to) =>
            Incidents.Count(i => DateOnly.FromDateTime(i.OccurredAt.ToOffset(Local).DateTime) is var d && d >= from && d <= to) / (double)(to.DayNumber - from.DayNumber + 1);
        var july = PerDay(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31));
        var festival = PerDay(new DateOnly(2026, 2, 15), new DateOnly(2026, 2, 23));
        Assert.True(july > 1.4 * festival, $"{july:F0} incidents a day in July vs {festival:F0} in the Spring Festival week");
    }

    [Fact]
    public void OldIncidentsAreClosedAndTheLatestOnesStillOpen()
    {
        var old = Incidents.Where(i => i.ReportedAt < Options.YearEnd.AddDays(-3)).ToList();
        Assert.All(old, i => Assert.Contains(i.Status, new[] { IncidentStatus.Closed, IncidentStatus.Cancelled }));
        Assert.InRange(old.Count(i => i.Status == IncidentStatus.Cancelled) / (double)old.Count, 0.01, 0.05);
        var lastDay = Incidents.Where(i => i.ReportedAt >= Options.YearEnd.AddDays(-1)).ToList();
        Assert.Contains(lastDay, i => i.Status is IncidentStatus.Reported or IncidentStatus.Dispatched);
        Assert.Contains(lastDay, i => i.Status == IncidentStatus.OnScene);
        Assert.Contains(lastDay, i => i.Status == IncidentStatus.Resolved);
        var lastHalfHour = Incidents.Where(i => i.ReportedAt >= Options.YearEnd.AddMinutes(-30)).ToList();
        Assert.All(lastHalfHour, i => Assert.Contains(i.Status, new[] { IncidentStatus.Reported, IncidentStatus.Dispatched, IncidentStatus.OnScene }));
    }

    [Fact]
    public void DescriptionsAndAddressesCarryNoPersonalNumbers()
    {
        Assert.All(Incidents, i =>
        {
            Assert.False(string.IsNullOrWhiteSpace(i.Description));
            Assert.DoesNotMatch(LongDigitRun(), i.Description);
            Assert.DoesNotMatch(LongDigitRun(), i.Address);
            Assert.Matches(AddressPattern(), i.Address);
        });
    }

    [Fact]
    public void AddressesNameTheNearestRoad()
    {
        var roads = Layers.Roads.Select(r => (r.Name, Line: Metric(r.Geometry))).ToList();
        var index = new NetTopologySuite.Index.Strtree.STRtree<int>();
        for (var r = 0; r < roads.Count; r++) index.Insert(roads[r].Line.EnvelopeInternal, r);
        var sample = Incidents.Where((_, k) => k % 200 == 0).ToList();
        var matches = sample.Count(i =>
        {
            var p = Metric(i.Location);
            var search = new Envelope(p.Coordinate);
            search.ExpandBy(1_500);
            var nearest = index.Query(search).MinBy(r => roads[r].Line.Distance(p));
            return i.Address.StartsWith(roads[nearest].Name, StringComparison.Ordinal);
        });
        // ties between a street and the street crossing it at the same distance may go either way
        Assert.True(matches > 0.97 * sample.Count, $"{matches} of {sample.Count} addresses name the nearest road");
    }

    /// <summary>Five or more digits in a row: the shape of phone, ID or bank numbers.</summary>
    [GeneratedRegex(@"\d{5,}")]
    private static partial Regex LongDigitRun();

    [GeneratedRegex(@"^\S+\d{1,4}号附近 \(near No\. \d{1,4} [A-Z].*\)$")]
    private static partial Regex AddressPattern();
}
