using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Tests.Domain;

public sealed class ShiftWindowTests
{
    private static readonly ShiftWindow Day = new(new TimeOnly(8, 0), new TimeOnly(20, 0), [1, 2, 3, 4, 5]);
    private static readonly ShiftWindow Night = new(new TimeOnly(22, 0), new TimeOnly(6, 0), [5]); // Friday night

    [Theory]
    [InlineData("2026-11-26 08:00", true)]   // Thursday, start included
    [InlineData("2026-11-26 19:59", true)]
    [InlineData("2026-11-26 20:00", false)]  // end excluded
    [InlineData("2026-11-26 07:59", false)]
    [InlineData("2026-11-28 12:00", false)]  // Saturday
    public void DayShiftsCoverTheirHoursOnTheirDays(string local, bool expected) =>
        Assert.Equal(expected, Day.Covers(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-11-27 23:00", true)]   // Friday night
    [InlineData("2026-11-28 05:59", true)]   // Saturday morning belongs to Friday's shift
    [InlineData("2026-11-28 06:00", false)]
    [InlineData("2026-11-28 23:00", false)]  // Saturday night: not a shift day
    [InlineData("2026-11-27 05:00", false)]  // Friday morning belongs to Thursday
    public void NightShiftsBelongToTheDayTheyStart(string local, bool expected) =>
        Assert.Equal(expected, Night.Covers(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void AWindowWithoutDaysIsEveryDayAndEqualEndsAreAllDay()
    {
        var always = new ShiftWindow(new TimeOnly(0, 0), new TimeOnly(0, 0), []);
        Assert.True(always.Covers(new DateTime(2026, 11, 29, 3, 0, 0)));
        Assert.Equal(TimeSpan.FromHours(24), always.Duration);
    }
}
