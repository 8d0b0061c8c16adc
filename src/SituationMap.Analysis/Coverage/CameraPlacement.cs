using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Coverage;

/// <summary>A candidate camera: a site, a heading and the view it would have there (a metric polygon, usually computed
/// by <see cref="CameraViewshed"/> with occlusion).</summary>
public sealed record PlacementOption(string SiteId, double HeadingDeg, NetTopologySuite.Geometries.Geometry View);

/// <summary>
/// How <see cref="CameraPlacement"/> values coverage. <see cref="SampleSpacingM"/>: the grid of sample points (metres).
/// <see cref="KindWeights"/>: weight per zone kind (default 1). <see cref="ZoneWeightFactors"/>: an extra factor per zone
/// id, e.g. its incident density relative to the mean (default 1). <see cref="AllowSameSite"/>: whether two options on
/// one site may both be chosen (default no). <see cref="CapAtTarget"/>: count new coverage in a zone only up to its
/// target (default yes); otherwise up to its whole blind spot.
/// </summary>
public sealed record PlacementSettings
{
    public double SampleSpacingM { get; init; } = 10;

    public IReadOnlyDictionary<ZoneKind, double>? KindWeights { get; init; }

    public IReadOnlyDictionary<string, double>? ZoneWeightFactors { get; init; }

    public bool AllowSameSite { get; init; }

    public bool CapAtTarget { get; init; } = true;
}

/// <summary>One zone's estimated covered fraction before and after a pick.</summary>
public sealed record ZoneCoverageChange(string ZoneId, double FractionBefore, double FractionAfter);

/// <summary>One chosen option: its marginal gain in weighted m² (the objective), the m² of blind spot in below-target zones
/// it newly covers (uncapped, unweighted) and the zones whose coverage it changes.</summary>
public sealed record PlacementPick(int OptionIndex, PlacementOption Option, double GainWeighted, double NewlyCoveredM2, IReadOnlyList<ZoneCoverageChange> Zones);

/// <summary>Chosen options in pick order, the objective they reach (Σ gains, weighted m²) and how many marginal gains were
/// evaluated.</summary>
public sealed record PlacementResult(IReadOnlyList<PlacementPick> Picks, double ObjectiveWeighted, long GainEvaluations);

/// <summary>
/// Recommends where to add cameras: lazy greedy maximisation of the weighted newly covered area of zones below target.
/// <para>
/// <b>Objective.</b> For a set S of options, f(S) = Σ_z w_z · min(c_z, A_z(S)), over the zones z below target, where A_z(S)
/// is the area of z's current blind spot covered by the union of S's views, w_z = kind weight × zone factor and
/// c_z = target · area − covered (the area still missing to reach the target) when capping at the target, or the whole
/// blind spot otherwise. A_z is a coverage function and truncation at a constant keeps it monotone submodular, so f is
/// monotone submodular and greedy reaches f ≥ (1 − 1/e) · optimum for a budget of k options (Nemhauser, Wolsey and
/// Fisher 1978). With the one-option-per-site rule the feasible sets form a matroid (a truncated partition matroid) and
/// the proven bound is 1/2 (Fisher, Nemhauser and Wolsey 1978); in practice the ratio stays close to 1 (see the tests).
/// </para>
/// <para>
/// <b>Discretisation.</b> Areas are measured on sample points: the centres of a global grid of
/// <see cref="PlacementSettings.SampleSpacingM"/> = s metre cells that lie inside a below-target zone's blind spot,
/// each standing for s² m²; only cells whose centre some option's view covers are sampled, since no other cell can be
/// gained. Each option covers a fixed list of points (the cell centres inside its view, boundary included). The error of an option's area in a
/// zone is the grid's error along the boundary of view ∩ blind spot: at most about perimeter × s / 2, typically far
/// less because over- and under-counted cells cancel — for a 60 m, 90° view (≈ 215 m of boundary) a few percent at
/// s = 5 m, under 1 % at s = 1 m (see the tests). Rectangles aligned with the grid are measured exactly. The greedy and
/// exhaustive answers are exact for the discretised objective.
/// </para>
/// <para>
/// <b>Lazy evaluation.</b> Options sit in a max-heap by their last computed gain, an upper bound of their current gain
/// (submodularity); the top is re-evaluated and picked only when its gain is current. Ties go to the lower option index,
/// so lazy and plain greedy pick the same options. Cost: one point-in-view test per grid cell of each option's envelope,
/// then O(C log Z) to test the C distinct covered cells against the Z zones' blind spots; each gain evaluation is O(pₒ)
/// for the option's pₒ points. Lazy greedy typically evaluates a small multiple of the option count in total instead
/// of k × options.
/// </para>
/// </summary>
public sealed class CameraPlacement
{
    private readonly PlacementOption[] _options;
    private readonly ZoneCoverage[] _zones;
    private readonly double[] _zoneWeight;
    private readonly double[] _zoneCap;
    private readonly int[] _pointZone;
    private readonly double[] _pointArea;
    private readonly int[][] _optionPoints;
    private readonly int[] _optionSite;
    private readonly bool _allowSameSite;

    // greedy state (not thread-safe)
    private readonly bool[] _covered;
    private readonly double[] _zoneGain;
    private readonly double[] _scratch;
    private readonly List<int> _touched = [];

    /// <summary>Samples the blind spots of the below-target zones in <paramref name="current"/> (e.g.
    /// <see cref="CoverageReport.Zones"/>) and finds which sample points each option covers.</summary>
    public CameraPlacement(IReadOnlyList<ZoneCoverage> current, IReadOnlyList<PlacementOption> options, PlacementSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        settings ??= new PlacementSettings();
        var s = settings.SampleSpacingM;
        if (!(s > 0 && double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(settings), s, "The sample spacing must be positive.");
        _allowSameSite = settings.AllowSameSite;
        _options = [.. options];
        _zones = [.. current.Where(z => z.BelowTarget && !z.BlindSpot.IsEmpty && z.BlindSpot.Area > 0)];
        _zoneWeight = new double[_zones.Length];
        _zoneCap = new double[_zones.Length];

        // 1. per option, the grid cells whose centre its view covers (only these can ever be gained)
        _optionPoints = new int[_options.Length][];
        var optionCells = new (long I, long J)[_options.Length][];
        Parallel.For(0, _options.Length, o =>
        {
            var view = _options[o].View;
            if (view is null || view.IsEmpty || _zones.Length == 0)
            {
                optionCells[o] = [];
                return;
            }
            var env = view.EnvelopeInternal;
            var locator = new IndexedPointInAreaLocator(view);
            var found = new List<(long, long)>();
            for (var i = (long)Math.Floor(env.MinX / s); i <= (long)Math.Floor(env.MaxX / s); i++)
            {
                var x = (i + 0.5) * s;
                if (x < env.MinX || x > env.MaxX) continue;
                for (var j = (long)Math.Floor(env.MinY / s); j <= (long)Math.Floor(env.MaxY / s); j++)
                {
                    var y = (j + 0.5) * s;
                    if (y < env.MinY || y > env.MaxY) continue;
                    if (locator.Locate(new Coordinate(x, y)) != Location.Exterior) found.Add((i, j));
                }
            }
            optionCells[o] = [.. found];
        });

        // 2. the distinct cells, in first-seen order, each tested against the blind spots of the below-target zones
        var cellIndex = new Dictionary<(long, long), int>();
        var distinct = new List<(long I, long J)>();
        foreach (var list in optionCells)
        {
            foreach (var cell in list)
            {
                if (cellIndex.TryAdd(cell, distinct.Count)) distinct.Add(cell);
            }
        }
        var blindIndex = new STRtree<int>();
        var locators = new IndexedPointInAreaLocator[_zones.Length];
        for (var z = 0; z < _zones.Length; z++)
        {
            var zone = _zones[z];
            var kindWeight = settings.KindWeights?.GetValueOrDefault(zone.Kind, 1.0) ?? 1.0;
            var factor = settings.ZoneWeightFactors?.GetValueOrDefault(zone.Id, 1.0) ?? 1.0;
            _zoneWeight[z] = kindWeight * factor;
            var blindArea = zone.BlindSpot.Area;
            _zoneCap[z] = settings.CapAtTarget ? Math.Min(blindArea, Math.Max(0, zone.TargetFraction * zone.AreaM2 - zone.CoveredM2)) : blindArea;
            locators[z] = new IndexedPointInAreaLocator(zone.BlindSpot);
            locators[z].Locate(zone.BlindSpot.EnvelopeInternal.Centre); // builds its index now: read-only (thread-safe) afterwards
            blindIndex.Insert(zone.BlindSpot.EnvelopeInternal, z);
        }
        blindIndex.Build();
        var cellZones = new int[distinct.Count][];
        Parallel.For(0, distinct.Count, c =>
        {
            var centre = new Coordinate((distinct[c].I + 0.5) * s, (distinct[c].J + 0.5) * s);
            var candidates = blindIndex.Query(new Envelope(centre));
            var inside = new List<int>(candidates.Count);
            foreach (var z in candidates)
            {
                if (locators[z].Locate(centre) == Location.Interior) inside.Add(z);
            }
            inside.Sort();
            cellZones[c] = [.. inside];
        });

        // 3. one sample point per (cell, zone): points of a cell are consecutive
        var cellFirstPoint = new int[distinct.Count + 1];
        var pointZone = new List<int>();
        for (var c = 0; c < distinct.Count; c++)
        {
            cellFirstPoint[c] = pointZone.Count;
            pointZone.AddRange(cellZones[c]);
        }
        cellFirstPoint[distinct.Count] = pointZone.Count;
        _pointZone = [.. pointZone];
        _pointArea = Enumerable.Repeat(s * s, _pointZone.Length).ToArray();
        Parallel.For(0, _options.Length, o =>
        {
            var points = new List<int>();
            foreach (var cell in optionCells[o])
            {
                var c = cellIndex[cell];
                for (var p = cellFirstPoint[c]; p < cellFirstPoint[c + 1]; p++) points.Add(p);
            }
            points.Sort();
            _optionPoints[o] = [.. points];
        });

        var sites = new Dictionary<string, int>(StringComparer.Ordinal);
        _optionSite = new int[_options.Length];
        for (var o = 0; o < _options.Length; o++)
        {
            var site = _options[o].SiteId ?? throw new ArgumentException($"Option {o} has no site id.", nameof(options));
            if (!sites.TryGetValue(site, out var id)) sites[site] = id = sites.Count;
            _optionSite[o] = id;
        }
        _covered = new bool[_pointZone.Length];
        _zoneGain = new double[_zones.Length];
        _scratch = new double[_zones.Length];
    }

    public IReadOnlyList<PlacementOption> Options => _options;

    /// <summary>Sample points in the blind spots of below-target zones.</summary>
    public int SampleCount => _pointZone.Length;

    /// <summary>Zones below target with a blind spot (the zones the objective counts).</summary>
    public int ZoneCount => _zones.Length;

    /// <summary>The discretised blind-spot area (m², below-target zones, unweighted, uncapped) an option would cover alone.</summary>
    public double EstimatedNewCoverageM2(int option) => _optionPoints[option].Sum(p => _pointArea[p]);

    /// <summary>The objective f(S) of a set of option indexes (weighted m²); ignores the site rule.</summary>
    public double Objective(IReadOnlyCollection<int> optionIndexes)
    {
        ArgumentNullException.ThrowIfNull(optionIndexes);
        var area = new double[_zones.Length];
        var seen = new HashSet<int>();
        foreach (var o in optionIndexes)
        {
            foreach (var p in _optionPoints[o])
            {
                if (seen.Add(p)) area[_pointZone[p]] += _pointArea[p];
            }
        }
        var total = 0.0;
        for (var z = 0; z < area.Length; z++) total += _zoneWeight[z] * Math.Min(_zoneCap[z], area[z]);
        return total;
    }

    /// <summary>Whether a set respects the site rule (at most one option per site unless allowed).</summary>
    public bool IsFeasible(IReadOnlyCollection<int> optionIndexes)
    {
        ArgumentNullException.ThrowIfNull(optionIndexes);
        return _allowSameSite || optionIndexes.Select(o => _optionSite[o]).Distinct().Count() == optionIndexes.Count;
    }

    internal bool SameSite(int a, int b) => !_allowSameSite && _optionSite[a] == _optionSite[b];

    /// <summary>Up to <paramref name="budget"/> options by greedy marginal gain (stops early when nothing more is
    /// gained). <paramref name="lazy"/> = false re-evaluates every option each round (for comparison).</summary>
    public PlacementResult Greedy(int budget, bool lazy = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        Array.Clear(_covered);
        Array.Clear(_zoneGain);
        var picks = new List<PlacementPick>();
        var usedSites = new HashSet<int>();
        long evaluations = 0;
        var total = 0.0;
        if (lazy)
        {
            var heap = new PriorityQueue<(int Option, int Round), (double Bound, int Option)>(Comparer<(double Bound, int Option)>.Create(
                (a, b) => a.Bound != b.Bound ? b.Bound.CompareTo(a.Bound) : a.Option.CompareTo(b.Option)));
            for (var o = 0; o < _options.Length; o++)
            {
                if (_optionPoints[o].Length == 0) continue;
                heap.Enqueue((o, -1), (double.PositiveInfinity, o));
            }
            while (picks.Count < budget && heap.TryDequeue(out var item, out var priority))
            {
                if (!_allowSameSite && usedSites.Contains(_optionSite[item.Option])) continue;
                if (item.Round == picks.Count)
                {
                    if (priority.Bound <= 0) break;
                    total += Pick(item.Option, priority.Bound);
                    continue;
                }
                evaluations++;
                heap.Enqueue((item.Option, picks.Count), (Gain(item.Option), item.Option));
            }
        }
        else
        {
            while (picks.Count < budget)
            {
                var best = -1;
                var bestGain = 0.0;
                for (var o = 0; o < _options.Length; o++)
                {
                    if (_optionPoints[o].Length == 0 || (!_allowSameSite && usedSites.Contains(_optionSite[o]))) continue;
                    evaluations++;
                    var gain = Gain(o);
                    if (gain > bestGain) (best, bestGain) = (o, gain);
                }
                if (best < 0) break;
                total += Pick(best, bestGain);
            }
        }
        return new PlacementResult(picks, total, evaluations);

        double Pick(int option, double gain)
        {
            usedSites.Add(_optionSite[option]);
            var newly = 0.0;
            _touched.Clear();
            foreach (var p in _optionPoints[option])
            {
                if (_covered[p]) continue;
                _covered[p] = true;
                newly += _pointArea[p];
                var z = _pointZone[p];
                if (_scratch[z] == 0) _touched.Add(z);
                _scratch[z] += _pointArea[p];
            }
            var changes = new List<ZoneCoverageChange>(_touched.Count);
            foreach (var z in _touched)
            {
                var zone = _zones[z];
                var before = (zone.CoveredM2 + _zoneGain[z]) / zone.AreaM2;
                _zoneGain[z] += _scratch[z];
                _scratch[z] = 0;
                changes.Add(new ZoneCoverageChange(zone.Id, before, Math.Min(1, (zone.CoveredM2 + _zoneGain[z]) / zone.AreaM2)));
            }
            picks.Add(new PlacementPick(option, _options[option], gain, newly, changes));
            return gain;
        }
    }

    /// <summary>The greedy recommendation in one call (see the class remarks).</summary>
    public static PlacementResult Recommend(IReadOnlyList<ZoneCoverage> current, IReadOnlyList<PlacementOption> options, int budget,
        PlacementSettings? settings = null) => new CameraPlacement(current, options, settings).Greedy(budget);

    /// <summary>f(S ∪ {o}) − f(S) for the current greedy state; deterministic (same summation order every time).</summary>
    private double Gain(int option)
    {
        _touched.Clear();
        foreach (var p in _optionPoints[option])
        {
            if (_covered[p]) continue;
            var z = _pointZone[p];
            if (_scratch[z] == 0) _touched.Add(z);
            _scratch[z] += _pointArea[p];
        }
        var gain = 0.0;
        foreach (var z in _touched)
        {
            var had = _zoneGain[z];
            gain += _zoneWeight[z] * (Math.Min(_zoneCap[z], had + _scratch[z]) - Math.Min(_zoneCap[z], had));
            _scratch[z] = 0;
        }
        return gain;
    }
}
