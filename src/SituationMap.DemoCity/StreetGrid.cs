using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;

namespace SituationMap.DemoCity;

/// <summary>OpenStreetMap highway classes used by the demo city, most important first.</summary>
internal enum RoadClass
{
    Trunk,
    Primary,
    Secondary,
    Tertiary,
    Residential,
}

internal static class RoadClasses
{
    public static string OsmHighway(this RoadClass roadClass) => roadClass switch
    {
        RoadClass.Trunk => "trunk",
        RoadClass.Primary => "primary",
        RoadClass.Secondary => "secondary",
        RoadClass.Tertiary => "tertiary",
        _ => "residential",
    };

    public static int MaxSpeedKmh(this RoadClass roadClass) => roadClass switch
    {
        RoadClass.Trunk => 80,
        RoadClass.Primary => 60,
        RoadClass.Secondary => 50,
        RoadClass.Tertiary => 40,
        _ => 30,
    };

    /// <summary>Width of the road surface in metres (carriageways and sidewalks, between the building lines' setbacks).</summary>
    public static double WidthM(this RoadClass roadClass) => roadClass switch
    {
        RoadClass.Trunk => 40,
        RoadClass.Primary => 30,
        RoadClass.Secondary => 24,
        RoadClass.Tertiary => 16,
        _ => 10,
    };

    public static RoadClass FromOsmHighway(string highway) => highway switch
    {
        "trunk" => RoadClass.Trunk,
        "primary" => RoadClass.Primary,
        "secondary" => RoadClass.Secondary,
        "tertiary" => RoadClass.Tertiary,
        _ => RoadClass.Residential,
    };
}

/// <summary>One axis of the street lattice. Tier 0 = arterial (every 1.2–1.8 km), 1 = collector (midway),
/// 2 = local street at the quarter points, 3 = local street at the eighth points.</summary>
internal sealed class GridLine(bool vertical, int index, int tier, double position, int arterialOrdinal)
{
    public bool Vertical { get; } = vertical;

    public int Index { get; } = index;

    public int Tier { get; } = tier;

    /// <summary>Position across the line in the lattice frame (metres before warping).</summary>
    public double Position { get; } = position;

    /// <summary>For arterials: 0 for the central one, ±1, ±2… outwards.</summary>
    public int ArterialOrdinal { get; } = arterialOrdinal;

    public BilingualName Name { get; set; }

    /// <summary>A tier-2 street that is a busier tertiary street where the city is dense.</summary>
    public bool Busy { get; set; }

    public bool HasEdges { get; set; }
}

/// <summary>A road segment between junctions in metres, with the lattice line it lies on.</summary>
internal sealed record MetricRoad(string Name, string NameEn, RoadClass Class, bool OneWay, Coordinate[] Coordinates, GridLine Line);

/// <summary>A node of the road network where three or more edges meet.</summary>
internal sealed record Junction(Coordinate Location, IReadOnlyList<Coordinate> Neighbours, RoadClass BestClass, double Density);

/// <summary>
/// The perturbed street grid: a lattice of lines (columns run north–south, rows east–west before the grid is rotated
/// and gently warped), edges between neighbouring lattice nodes switched on by tier and population density, and the
/// road segments cut from them at junctions. Because every road vertex is a lattice node, segment endpoints coincide
/// exactly at junctions and anything that walks the lattice (patrol loops, blocks for zones) lies exactly on roads.
/// </summary>
internal sealed class StreetGrid
{
    private const double HalfWidth = 16_000;
    private const double HalfHeight = 14_000;
    private const sbyte NoEdge = -1;

    private readonly UrbanForm _form;
    private readonly sbyte[,] _columnEdges; // [i, j]: column i between rows j and j + 1
    private readonly sbyte[,] _rowEdges; // [i, j]: row j between columns i and i + 1
    private readonly int[,] _degree;
    private readonly string?[,] _columnNames;
    private readonly string?[,] _rowNames;

    // one-way stretches of local streets: (vertical, line, collector span) → +1 along the lattice order, −1 against
    private readonly Dictionary<(bool Vertical, int Line, int Span), sbyte> _oneWay = [];

    private StreetGrid(UrbanForm form, GridLine[] columns, GridLine[] rows, Coordinate[,] nodes)
    {
        _form = form;
        ColumnLines = columns;
        RowLines = rows;
        Nodes = nodes;
        _columnEdges = new sbyte[columns.Length, rows.Length - 1];
        _rowEdges = new sbyte[columns.Length - 1, rows.Length];
        _degree = new int[columns.Length, rows.Length];
        _columnNames = new string?[columns.Length, rows.Length - 1];
        _rowNames = new string?[columns.Length - 1, rows.Length];
        Fill(_columnEdges);
        Fill(_rowEdges);
    }

    public GridLine[] ColumnLines { get; }

    public GridLine[] RowLines { get; }

    public int ColumnCount => ColumnLines.Length;

    public int RowCount => RowLines.Length;

    /// <summary>Lattice node positions in metres: [column, row].</summary>
    public Coordinate[,] Nodes { get; }

    public List<MetricRoad> Roads { get; } = [];

    /// <summary>Column/row indices of the ring road (west, east, south, north).</summary>
    public (int West, int East, int South, int North) Ring { get; private set; }

    public static StreetGrid Build(UrbanForm form, IReadOnlyList<Polygon> noLocalStreets, Random random)
    {
        var columns = Lines(random, vertical: true, HalfWidth);
        var rows = Lines(random, vertical: false, HalfHeight);

        var rotation = random.Uniform(-14, -6) * Math.PI / 180;
        var (cos, sin) = (Math.Cos(rotation), Math.Sin(rotation));
        var warp = new double[12];
        for (var k = 0; k < 4; k++)
        {
            warp[3 * k] = k % 2 == 0 ? random.Uniform(110, 190) : random.Uniform(35, 65); // amplitude
            warp[(3 * k) + 1] = k % 2 == 0 ? random.Uniform(7_000, 11_000) : random.Uniform(3_000, 5_000); // wavelength
            warp[(3 * k) + 2] = random.Uniform(0, 2 * Math.PI); // phase
        }
        double Wave(int k, double t) => warp[3 * k] * Math.Sin((2 * Math.PI * t / warp[(3 * k) + 1]) + warp[(3 * k) + 2]);

        var nodes = new Coordinate[columns.Length, rows.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            for (var j = 0; j < rows.Length; j++)
            {
                var u = columns[i].Position;
                var v = rows[j].Position;
                var x = u + Wave(0, v) + Wave(1, u + v);
                var y = v + Wave(2, u) + Wave(3, u - v);
                nodes[i, j] = new Coordinate(form.Centre.X + (x * cos) - (y * sin), form.Centre.Y + (x * sin) + (y * cos));
            }
        }

        var grid = new StreetGrid(form, columns, rows, nodes);
        grid.Ring = (Nearest(columns, -3_300), Nearest(columns, 3_300), Nearest(rows, -2_900), Nearest(rows, 2_900));
        foreach (var line in columns.Concat(rows).Where(l => l.Tier == 2)) line.Busy = random.Chance(0.4);
        grid.SwitchOnEdges(random, new Exclusions(noLocalStreets));
        grid.KeepLargestComponent();
        grid.CountDegrees();
        grid.NameLines(random);
        grid.CutSegments();
        return grid;
    }

    public bool HasColumnEdge(int i, int j) => _columnEdges[i, j] != NoEdge;

    public bool HasRowEdge(int i, int j) => _rowEdges[i, j] != NoEdge;

    public int Degree(int i, int j) => _degree[i, j];

    /// <summary>Class of the road on column <paramref name="i"/> between rows j and j + 1, or null when there is none.</summary>
    public RoadClass? ColumnEdgeClass(int i, int j) => _columnEdges[i, j] == NoEdge ? null : (RoadClass)_columnEdges[i, j];

    /// <summary>Class of the road on row <paramref name="j"/> between columns i and i + 1, or null when there is none.</summary>
    public RoadClass? RowEdgeClass(int i, int j) => _rowEdges[i, j] == NoEdge ? null : (RoadClass)_rowEdges[i, j];

    /// <summary>Name of the road on edge <paramref name="k"/> of <paramref name="line"/> (null when there is none).</summary>
    public string? EdgeName(GridLine line, int k) => line.Vertical ? _columnNames[line.Index, k] : _rowNames[k, line.Index];

    public Coordinate CellCentre(int i, int j)
    {
        var a = Nodes[i, j];
        var b = Nodes[i + 1, j];
        var c = Nodes[i + 1, j + 1];
        var d = Nodes[i, j + 1];
        return new Coordinate((a.X + b.X + c.X + d.X) / 4, (a.Y + b.Y + c.Y + d.Y) / 4);
    }

    /// <summary>The ring of lattice nodes around the cells [i0, i1) × [j0, j1), counter-clockwise, closed.</summary>
    public Coordinate[] Perimeter(int i0, int j0, int i1, int j1)
    {
        var ring = new List<Coordinate>();
        for (var i = i0; i < i1; i++) ring.Add(Nodes[i, j0]);
        for (var j = j0; j < j1; j++) ring.Add(Nodes[i1, j]);
        for (var i = i1; i > i0; i--) ring.Add(Nodes[i, j1]);
        for (var j = j1; j > j0; j--) ring.Add(Nodes[i0, j]);
        ring.Add(Nodes[i0, j0]);
        return ring.Select(c => c.Copy()).ToArray();
    }

    /// <summary>
    /// The block polygon for cells [i0, i0 + ni) × [j0, j0 + nj) shrunk by <paramref name="inset"/> metres, or null
    /// when a road runs through it or it leaves the city.
    /// </summary>
    public Polygon? Block(int i0, int j0, int ni, int nj, double inset)
    {
        int i1 = i0 + ni, j1 = j0 + nj;
        if (i0 < 0 || j0 < 0 || i1 >= ColumnCount || j1 >= RowCount) return null;
        for (var i = i0 + 1; i < i1; i++)
        {
            for (var j = j0; j < j1; j++)
            {
                if (HasColumnEdge(i, j)) return null;
            }
        }
        for (var j = j0 + 1; j < j1; j++)
        {
            for (var i = i0; i < i1; i++)
            {
                if (HasRowEdge(i, j)) return null;
            }
        }
        if (!_form.InRoadArea(Nodes[i0, j0]) || !_form.InRoadArea(Nodes[i1, j0]) || !_form.InRoadArea(Nodes[i1, j1]) || !_form.InRoadArea(Nodes[i0, j1])) return null;
        var polygon = _form.Factory.CreatePolygon(Perimeter(i0, j0, i1, j1));
        var shrunk = polygon.Buffer(-inset, new BufferParameters { JoinStyle = JoinStyle.Mitre, MitreLimit = 3 });
        return shrunk is Polygon { IsEmpty: false } result ? result : null;
    }

    /// <summary>The closed loop of lattice nodes around the rectangle of lines (i1, j1)–(i2, j2), or null if any edge of
    /// it is not a road. Runs east along row j1, north along column i2, west along row j2, south along column i1.</summary>
    public Coordinate[]? Loop(int i1, int i2, int j1, int j2)
    {
        if (i1 >= i2 || j1 >= j2) return null;
        for (var j = j1; j < j2; j++)
        {
            if (!HasColumnEdge(i1, j) || !HasColumnEdge(i2, j)) return null;
        }
        for (var i = i1; i < i2; i++)
        {
            if (!HasRowEdge(i, j1) || !HasRowEdge(i, j2)) return null;
        }
        return Perimeter(i1, j1, i2, j2);
    }

    /// <summary>Nodes where three or more road edges meet.</summary>
    public IEnumerable<Junction> Junctions()
    {
        for (var i = 0; i < ColumnCount; i++)
        {
            for (var j = 0; j < RowCount; j++)
            {
                if (_degree[i, j] < 3) continue;
                var neighbours = new List<Coordinate>(4);
                var best = RoadClass.Residential;
                void Visit(sbyte edge, Coordinate other)
                {
                    if (edge == NoEdge) return;
                    neighbours.Add(other);
                    if ((RoadClass)edge < best) best = (RoadClass)edge;
                }
                if (j + 1 < RowCount) Visit(_columnEdges[i, j], Nodes[i, j + 1]);
                if (j > 0) Visit(_columnEdges[i, j - 1], Nodes[i, j - 1]);
                if (i + 1 < ColumnCount) Visit(_rowEdges[i, j], Nodes[i + 1, j]);
                if (i > 0) Visit(_rowEdges[i - 1, j], Nodes[i - 1, j]);
                yield return new Junction(Nodes[i, j], neighbours, best, _form.Density(Nodes[i, j]));
            }
        }
    }

    private static GridLine[] Lines(Random random, bool vertical, double half)
    {
        var start = random.Uniform(-300, 300);
        var arterials = new List<double> { start };
        for (var x = start; x < half;)
        {
            x += random.Uniform(1_200, 1_800);
            arterials.Add(x);
        }
        for (var x = start; x > -half;)
        {
            x -= random.Uniform(1_200, 1_800);
            arterials.Add(x);
        }
        arterials.Sort();
        var central = arterials.IndexOf(start);

        double Between(double lo, double hi) => lo + ((hi - lo) * random.Uniform(0.42, 0.58));
        var lines = new List<GridLine>();
        void Add(double position, int tier, int ordinal) => lines.Add(new GridLine(vertical, lines.Count, tier, position, ordinal));
        for (var a = 0; a < arterials.Count; a++)
        {
            Add(arterials[a], 0, a - central);
            if (a + 1 == arterials.Count) break;
            var (lo, hi) = (arterials[a], arterials[a + 1]);
            var collector = Between(lo, hi);
            var quarter1 = Between(lo, collector);
            var quarter3 = Between(collector, hi);
            Add(Between(lo, quarter1), 3, 0);
            Add(quarter1, 2, 0);
            Add(Between(quarter1, collector), 3, 0);
            Add(collector, 1, 0);
            Add(Between(collector, quarter3), 3, 0);
            Add(quarter3, 2, 0);
            Add(Between(quarter3, hi), 3, 0);
        }
        return [.. lines];
    }

    private static int Nearest(GridLine[] lines, double position) =>
        lines.Where(l => l.Tier == 0).MinBy(l => Math.Abs(l.Position - position))!.Index;

    private static void Fill(sbyte[,] array)
    {
        for (var a = 0; a < array.GetLength(0); a++)
        {
            for (var b = 0; b < array.GetLength(1); b++) array[a, b] = NoEdge;
        }
    }

    /// <summary>Decides, span by span, which lattice edges are streets. A span is the stretch of a line between two
    /// crossings with lines one tier more important, so streets end at junctions rather than in mid-block.</summary>
    private void SwitchOnEdges(Random random, Exclusions exclusions)
    {
        foreach (var column in ColumnLines) SwitchOnLine(random, exclusions, column, RowLines);
        foreach (var row in RowLines) SwitchOnLine(random, exclusions, row, ColumnLines);
    }

    private void SwitchOnLine(Random random, Exclusions exclusions, GridLine line, GridLine[] crossing)
    {
        var spanTier = Math.Max(0, line.Tier - 1);
        var breaks = new List<int> { 0 };
        for (var k = 1; k < crossing.Length - 1; k++)
        {
            if (crossing[k].Tier <= spanTier) breaks.Add(k);
        }
        breaks.Add(crossing.Length - 1);
        var ringLine = line.Vertical ? line.Index == Ring.West || line.Index == Ring.East : line.Index == Ring.South || line.Index == Ring.North;
        var (ringFrom, ringTo) = line.Vertical ? (Ring.South, Ring.North) : (Ring.West, Ring.East);

        for (var b = 0; b + 1 < breaks.Count; b++)
        {
            var (k0, k1) = (breaks[b], breaks[b + 1]);
            var density = _form.Density(Node(line, (k0 + k1) / 2));
            var (from, to, roadClass) = DecideSpan(random, line, ringLine, density, k0, k1);
            for (var k = from; k < to; k++)
            {
                var (a, c) = (Node(line, k), Node(line, k + 1));
                if (!EdgeAllowed(a, c, line.Tier, exclusions)) continue;
                var edgeClass = ringLine && k >= ringFrom && k < ringTo ? RoadClass.Trunk : roadClass;
                SetEdge(line, k, edgeClass);
            }
        }
    }

    private static (int From, int To, RoadClass Class) DecideSpan(Random random, GridLine line, bool ringLine, double density, int k0, int k1)
    {
        var none = (0, 0, RoadClass.Residential);
        var half = (k0 + k1) / 2;
        (int, int, RoadClass) Stub(RoadClass roadClass) =>
            random.Chance(0.3) ? (random.Chance(0.5) ? (k0, half, roadClass) : (half, k1, roadClass)) : none;

        switch (line.Tier)
        {
            case 0:
                // in open country only every other arterial continues (a ~3 km grid of county roads)
                if (density < 0.06 && !ringLine && Math.Abs(line.ArterialOrdinal) % 2 == 1) return none;
                return (k0, k1, RoadClass.Primary);
            case 1:
                if (density >= 0.12) return random.Chance(0.95) ? (k0, k1, density >= 0.3 ? RoadClass.Secondary : RoadClass.Tertiary) : none;
                return random.Chance(0.25) ? (k0, k1, RoadClass.Tertiary) : none;
            case 2:
                if (density < 0.28) return none;
                var roadClass = line.Busy && density >= 0.5 ? RoadClass.Tertiary : RoadClass.Residential;
                return random.Chance(0.85) ? (k0, k1, roadClass) : Stub(roadClass);
            default:
                if (density < 0.5) return none;
                return random.Chance(0.75) ? (k0, k1, RoadClass.Residential) : Stub(RoadClass.Residential);
        }
    }

    private bool EdgeAllowed(Coordinate a, Coordinate b, int tier, Exclusions exclusions)
    {
        var mid = new Coordinate((a.X + b.X) / 2, (a.Y + b.Y) / 2);
        if (!_form.InRoadArea(a) || !_form.InRoadArea(b) || !_form.InRoadArea(mid)) return false;
        // urban villages keep their own lanes: no planned local streets through them
        return tier < 2 || !exclusions.Contains(mid);
    }

    private Coordinate Node(GridLine line, int k) => line.Vertical ? Nodes[line.Index, k] : Nodes[k, line.Index];

    private void SetEdge(GridLine line, int k, RoadClass roadClass)
    {
        if (line.Vertical) _columnEdges[line.Index, k] = (sbyte)roadClass;
        else _rowEdges[k, line.Index] = (sbyte)roadClass;
    }

    private sbyte Edge(GridLine line, int k) => line.Vertical ? _columnEdges[line.Index, k] : _rowEdges[k, line.Index];

    /// <summary>Drops streets cut off from the main network (by the city edge or an urban village), so every
    /// segment can be reached from every other.</summary>
    private void KeepLargestComponent()
    {
        var parent = new int[ColumnCount * RowCount];
        for (var n = 0; n < parent.Length; n++) parent[n] = n;
        int Find(int n)
        {
            while (parent[n] != n)
            {
                parent[n] = parent[parent[n]];
                n = parent[n];
            }
            return n;
        }
        void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
        int Id(int i, int j) => (i * RowCount) + j;

        ForEachEdge((i, j, vertical) => Union(Id(i, j), vertical ? Id(i, j + 1) : Id(i + 1, j)));
        var edgesPerRoot = new int[parent.Length];
        ForEachEdge((i, j, _) => edgesPerRoot[Find(Id(i, j))]++);
        var largest = 0;
        for (var n = 1; n < edgesPerRoot.Length; n++)
        {
            if (edgesPerRoot[n] > edgesPerRoot[largest]) largest = n;
        }
        ForEachEdge((i, j, vertical) =>
        {
            if (Find(Id(i, j)) == largest) return;
            if (vertical) _columnEdges[i, j] = NoEdge;
            else _rowEdges[i, j] = NoEdge;
        });
    }

    private void ForEachEdge(Action<int, int, bool> action)
    {
        for (var i = 0; i < ColumnCount; i++)
        {
            for (var j = 0; j < RowCount - 1; j++)
            {
                if (_columnEdges[i, j] != NoEdge) action(i, j, true);
            }
        }
        for (var i = 0; i < ColumnCount - 1; i++)
        {
            for (var j = 0; j < RowCount; j++)
            {
                if (_rowEdges[i, j] != NoEdge) action(i, j, false);
            }
        }
    }

    private void CountDegrees() => ForEachEdge((i, j, vertical) =>
    {
        _degree[i, j]++;
        if (vertical) _degree[i, j + 1]++;
        else _degree[i + 1, j]++;
        (vertical ? ColumnLines[i] : RowLines[j]).HasEdges = true;
    });

    /// <summary>Arterials take the common street words, most central first; other streets get unused two-syllable
    /// words; a few stretches of dense-core lanes become one-way.</summary>
    private void NameLines(Random random)
    {
        var pool = new NamePool(PlaceNames.ShuffledWords(random));
        var arterials = ColumnLines.Concat(RowLines)
            .Where(l => l.Tier == 0 && l.HasEdges)
            .OrderBy(l => Math.Abs(l.ArterialOrdinal)).ThenBy(l => l.ArterialOrdinal).ThenBy(l => l.Vertical ? 0 : 1)
            .ToList();
        var classic = new Queue<BilingualName>(PlaceNames.ArterialWords);
        foreach (var line in arterials)
        {
            BilingualName? word = null;
            while (word is null && classic.Count > 0)
            {
                var candidate = classic.Dequeue();
                if (pool.TryReserve(candidate)) word = candidate;
            }
            line.Name = word ?? pool.Next();
        }
        foreach (var line in ColumnLines.Concat(RowLines).Where(l => l.Tier > 0 && l.HasEdges))
        {
            line.Name = pool.Next();
        }
        // a few stretches of eighth-point lanes (between two collectors or arterials) are one-way
        foreach (var line in ColumnLines.Concat(RowLines).Where(l => l.Tier == 3 && l.HasEdges))
        {
            var count = line.Vertical ? RowCount : ColumnCount;
            var lastSpan = -1;
            for (var k = 0; k < count - 1; k++)
            {
                var span = Span(line, k);
                if (Edge(line, k) == NoEdge || span == lastSpan) continue;
                lastSpan = span;
                if (random.Chance(0.04)) _oneWay[(line.Vertical, line.Index, span)] = random.Chance(0.5) ? (sbyte)1 : (sbyte)-1;
            }
        }
    }

    /// <summary>Which stretch between crossings with collectors or arterials edge k of the line lies in.</summary>
    private int Span(GridLine line, int k)
    {
        var crossing = line.Vertical ? RowLines : ColumnLines;
        var span = 0;
        for (var c = 1; c <= k; c++)
        {
            if (crossing[c].Tier <= 1) span++;
        }
        return span;
    }

    private sbyte OneWay(GridLine line, int k) =>
        line.Tier == 3 && _oneWay.TryGetValue((line.Vertical, line.Index, Span(line, k)), out var direction) ? direction : (sbyte)0;

    private static BilingualName StreetName(GridLine line, RoadClass roadClass, (int West, int East, int South, int North) ring)
    {
        if (roadClass == RoadClass.Trunk)
        {
            return line.Vertical
                ? (line.Index == ring.West ? new("西环路", "West Ring Road") : new("东环路", "East Ring Road"))
                : (line.Index == ring.South ? new("南环路", "South Ring Road") : new("北环路", "North Ring Road"));
        }
        var w = line.Name;
        return (line.Tier, line.Vertical) switch
        {
            (0, true) => new(w.Zh + "路", w.En + " Road"),
            (0, false) => new(w.Zh + "大街", w.En + " Avenue"),
            (1, true) => new(w.Zh + "路", w.En + " Road"),
            (1, false) => new(w.Zh + "街", w.En + " Street"),
            (2, _) => new(w.Zh + "巷", w.En + " Lane"),
            _ => new(w.Zh + "胡同", w.En + " Hutong"),
        };
    }

    /// <summary>Cuts each line's runs of edges into segments at junctions (degree ≠ 2) and where the class changes.</summary>
    private void CutSegments()
    {
        foreach (var line in ColumnLines.Concat(RowLines))
        {
            if (!line.HasEdges) continue;
            var count = line.Vertical ? RowCount : ColumnCount;
            var run = new List<int>();
            for (var k = 0; k < count - 1; k++)
            {
                var edge = Edge(line, k);
                if (edge == NoEdge)
                {
                    Emit(line, run);
                    continue;
                }
                if (run.Count == 0)
                {
                    run.Add(k);
                }
                else if (DegreeAt(line, k) != 2 || Edge(line, k - 1) != edge || OneWay(line, k - 1) != OneWay(line, k))
                {
                    Emit(line, run);
                    run.Add(k);
                }
                run.Add(k + 1);
            }
            Emit(line, run);
        }
    }

    private int DegreeAt(GridLine line, int k) => line.Vertical ? _degree[line.Index, k] : _degree[k, line.Index];

    private void Emit(GridLine line, List<int> run)
    {
        if (run.Count >= 2)
        {
            var roadClass = (RoadClass)Edge(line, run[0]);
            var name = StreetName(line, roadClass, Ring);
            var coordinates = run.Select(k => Node(line, k).Copy()).ToArray();
            var oneWay = OneWay(line, run[0]);
            if (oneWay < 0) Array.Reverse(coordinates);
            for (var k = run[0]; k < run[^1]; k++)
            {
                if (line.Vertical) _columnNames[line.Index, k] = name.Zh;
                else _rowNames[k, line.Index] = name.Zh;
            }
            Roads.Add(new MetricRoad(name.Zh, name.En, roadClass, oneWay != 0, coordinates, line));
        }
        run.Clear();
    }

    /// <summary>Polygons in which no local street may run (urban villages).</summary>
    private sealed class Exclusions(IReadOnlyList<Polygon> polygons)
    {
        private readonly (Envelope Envelope, IPointOnGeometryLocator Locator)[] _areas =
            polygons.Select(p => (p.EnvelopeInternal, (IPointOnGeometryLocator)new IndexedPointInAreaLocator(p))).ToArray();

        public bool Contains(Coordinate c)
        {
            foreach (var (envelope, locator) in _areas)
            {
                if (envelope.Contains(c) && locator.Locate(c) != Location.Exterior) return true;
            }
            return false;
        }
    }
}
