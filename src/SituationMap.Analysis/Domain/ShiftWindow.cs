namespace SituationMap.Analysis.Domain;

/// <summary>
/// A recurring shift in local time: from <see cref="Start"/> to <see cref="End"/> (an end before the start runs past
/// midnight) on the given ISO weekdays (1 = Monday … 7 = Sunday; empty = every day).
/// </summary>
public sealed record ShiftWindow(TimeOnly Start, TimeOnly End, IReadOnlyList<int> Days)
{
    public TimeSpan Duration => End > Start ? End - Start : TimeSpan.FromHours(24) - (Start - End);
}
