namespace SituationMap.Analysis.Domain;

/// <summary>
/// A recurring shift in local time: from <see cref="Start"/> to <see cref="End"/> (an end before the start runs past
/// midnight) on the given ISO weekdays (1 = Monday … 7 = Sunday; empty = every day).
/// </summary>
public sealed record ShiftWindow(TimeOnly Start, TimeOnly End, IReadOnlyList<int> Days)
{
    public TimeSpan Duration => End > Start ? End - Start : TimeSpan.FromHours(24) - (Start - End);

    /// <summary>
    /// Whether the local wall-clock time lies in the window: [Start, End) on one of its days; a window running past
    /// midnight belongs to the day it starts on (Friday 22:00–06:00 covers Saturday 05:00). Start = End is all day.
    /// </summary>
    public bool Covers(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        bool On(DateTime day) => Days.Count == 0 || Days.Contains(day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek);
        if (Start == End) return On(local);
        if (Start < End) return time >= Start && time < End && On(local);
        return (time >= Start && On(local)) || (time < End && On(local.AddDays(-1)));
    }
}
