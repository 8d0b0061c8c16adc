using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Patrol;

/// <summary>A patrol route as planned: its lines in metres, level, mode, shift windows and (for level 3) its area.</summary>
public sealed record PatrolRoutePlan(MultiLineString Geometry, PatrolLevel Level, PatrolMode Mode, IReadOnlyList<ShiftWindow> Shifts,
    Polygon? Area = null);

/// <summary>A stretch of a route: along part <paramref name="Part"/> of the MultiLineString, from
/// <paramref name="FromM"/> to <paramref name="ToM"/> metres from the part's start.</summary>
public sealed record RouteStretch(int Part, double FromM, double ToM);

/// <summary>
/// One finding of <see cref="RouteValidation"/>: a machine <paramref name="Code"/> (see <see cref="RouteProblemCodes"/>),
/// an English message for people, and where it applies (the offending geometry in metres and/or a stretch).
/// </summary>
public sealed record RouteProblem(string Code, string Message, NetTopologySuite.Geometries.Geometry? Where = null, RouteStretch? Stretch = null);

/// <summary>The codes of <see cref="RouteProblem"/>s (snake_case, as written on the wire).</summary>
public static class RouteProblemCodes
{
    /// <summary>The route has no length.</summary>
    public const string EmptyRoute = "empty_route";

    /// <summary>A stretch of a city or vehicle route is not on a road cars may use.</summary>
    public const string OffRoad = "off_road";

    /// <summary>A community route has no area to stay within.</summary>
    public const string AreaMissing = "area_missing";

    /// <summary>Part of a community route lies outside its area.</summary>
    public const string OutsideArea = "outside_area";

    /// <summary>The route has no shift windows.</summary>
    public const string NoShiftWindows = "no_shift_windows";

    /// <summary>One loop of the route takes longer than the shortest shift.</summary>
    public const string TooLongForShift = "too_long_for_shift";
}

/// <summary>
/// Plausibility checks of a patrol route before it is activated. Rules:
/// <list type="number">
/// <item><b>On car roads</b> (level 1, city, and any vehicle route): each part is sampled every ≤ <see cref="SampleM"/>
/// (20 m, equal steps, both ends included); a sample is off road when no edge cars may use (in either direction) lies within
/// <c>roadToleranceM</c> (default 15 m) of it (<see cref="RoadGraph.Snap"/>). Each run of consecutive off-road samples is one
/// <see cref="RouteProblemCodes.OffRoad"/> problem with its stretch (first to last off-road sample; a single sample gives a
/// point) — so the true stretch may extend up to one sample step further at either end.</item>
/// <item><b>Within the area</b> (level 3, community): the length of the route outside the area buffered by
/// <c>areaToleranceM</c> (default 10 m) must be zero (more than 1 mm is reported, with the outside lines).</item>
/// <item><b>Fits the shift</b> (all levels): one loop at the mode's nominal patrol speed
/// (<see cref="PatrolSpeeds.Nominal"/>: vehicle 8 m/s, bicycle 4, foot 1.3) must take no longer than the shortest shift
/// window. A loop (<see cref="LoopLengthM"/>) is the parts in order plus the straight connections from each part's end to
/// the next part's start and from the last part's end back to the first part's start — for one closed line its length,
/// for an open one its length plus the straight way back (a lower bound of the real return).</item>
/// </list>
/// <para><b>Cost:</b> one graph snap per sample (an STR-tree query), one polygon buffer and line difference, O(parts).</para>
/// </summary>
public static class RouteValidation
{
    public const double DefaultRoadToleranceM = 15;

    public const double DefaultAreaToleranceM = 10;

    /// <summary>Largest step between road-check samples, metres.</summary>
    public const double SampleM = 20;

    /// <summary>
    /// The problems of the route, in rule order (empty: the route passes). <paramref name="graph"/> is needed only for the
    /// road rule (level 1 or vehicle routes) and may be null otherwise.
    /// </summary>
    public static IReadOnlyList<RouteProblem> Validate(PatrolRoutePlan route, RoadGraph? graph,
        double roadToleranceM = DefaultRoadToleranceM, double areaToleranceM = DefaultAreaToleranceM)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(route.Geometry);
        ArgumentNullException.ThrowIfNull(route.Shifts);
        var problems = new List<RouteProblem>();
        if (route.Geometry.IsEmpty || route.Geometry.Length <= 0)
        {
            problems.Add(new RouteProblem(RouteProblemCodes.EmptyRoute, "The route has no length."));
            return problems;
        }
        if (route.Level == PatrolLevel.City || route.Mode == PatrolMode.Vehicle)
        {
            ArgumentNullException.ThrowIfNull(graph);
            problems.AddRange(OffRoad(route.Geometry, graph, roadToleranceM));
        }
        if (route.Level == PatrolLevel.Community)
        {
            if (route.Area is null)
            {
                problems.Add(new RouteProblem(RouteProblemCodes.AreaMissing, "A community route needs the area it must stay within."));
            }
            else
            {
                var outside = route.Geometry.Difference(route.Area.Buffer(areaToleranceM));
                if (outside.Length > 1e-3)
                {
                    problems.Add(new RouteProblem(RouteProblemCodes.OutsideArea,
                        Invariant($"{outside.Length:0} m of the route lie more than {areaToleranceM:0.#} m outside its area."), outside));
                }
            }
        }
        if (route.Shifts.Count == 0)
        {
            problems.Add(new RouteProblem(RouteProblemCodes.NoShiftWindows, "The route has no shift windows."));
        }
        else
        {
            var shortest = route.Shifts.MinBy(s => s.Duration)!;
            var loop = LoopLengthM(route.Geometry);
            var seconds = loop / PatrolSpeeds.Nominal(route.Mode);
            if (seconds > shortest.Duration.TotalSeconds)
            {
                problems.Add(new RouteProblem(RouteProblemCodes.TooLongForShift, Invariant(
                    $"One loop ({loop / 1000:0.0} km) takes {seconds / 60:0} min at the nominal {route.Mode.ToString().ToLowerInvariant()} patrol speed ({PatrolSpeeds.Nominal(route.Mode) * 3.6:0.#} km/h), longer than the {shortest.Duration.TotalMinutes:0} min shift {shortest.Start:HH\\:mm}–{shortest.End:HH\\:mm}.")));
            }
        }
        return problems;
    }

    /// <summary>The length of one loop of the route, metres (see the class summary).</summary>
    public static double LoopLengthM(MultiLineString route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var parts = Enumerable.Range(0, route.NumGeometries).Select(i => (LineString)route.GetGeometryN(i)).Where(p => !p.IsEmpty).ToList();
        if (parts.Count == 0) return 0;
        var length = parts.Sum(p => p.Length);
        for (var i = 0; i < parts.Count; i++) length += parts[i].EndPoint.Coordinate.Distance(parts[(i + 1) % parts.Count].StartPoint.Coordinate);
        return length;
    }

    private static IEnumerable<RouteProblem> OffRoad(MultiLineString route, RoadGraph graph, double toleranceM)
    {
        for (var part = 0; part < route.NumGeometries; part++)
        {
            var line = (LineString)route.GetGeometryN(part);
            if (line.IsEmpty || line.Length <= 0) continue;
            var indexed = new LengthIndexedLine(line);
            var n = (int)Math.Ceiling(line.Length / SampleM);
            var step = line.Length / n;
            int? first = null;
            for (var k = 0; k <= n + 1; k++)
            {
                var off = k <= n && graph.Snap(indexed.ExtractPoint(k * step), TravelMode.Car, toleranceM) is null;
                if (off)
                {
                    first ??= k;
                    continue;
                }
                if (first is not { } f) continue;
                var (from, to) = (f * step, (k - 1) * step);
                NetTopologySuite.Geometries.Geometry where = to > from
                    ? indexed.ExtractLine(from, to)
                    : line.Factory.CreatePoint(indexed.ExtractPoint(from));
                yield return new RouteProblem(RouteProblemCodes.OffRoad, Invariant(
                    $"Part {part + 1}, {from:0}–{to:0} m from its start: no car road within {toleranceM:0.#} m."), where, new RouteStretch(part, from, to));
                first = null;
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
