using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using SituationMap.Analysis.Domain;

namespace SituationMap.DemoCity;

/// <summary>A building in metres, before conversion to a WGS84 record.</summary>
internal sealed record MetricBuilding(BuildingKind Kind, int Levels, double HeightM, Polygon Footprint, string? DistrictCode);

/// <summary>
/// How one kind of land is built up: buildings stand on plots laid out in rows parallel to the street grid (plot depth
/// across the row, plot width along it, lanes between plots and rows), each plot holding a rectangle, an L or a
/// perimeter block around a courtyard, or nothing. Lengths in metres.
/// </summary>
internal sealed record BuildingStyle
{
    /// <summary>Distance kept from the road surface (the centreline buffered by half the road width).</summary>
    public required double Setback { get; init; }

    /// <summary>Distance kept from a lattice line without a road (half the path between neighbouring cells).</summary>
    public required double Margin { get; init; }

    public required (double Min, double Max) RowDepth { get; init; }

    public required (double Min, double Max) PlotWidth { get; init; }

    /// <summary>Gap between plots along a row.</summary>
    public required (double Min, double Max) GapAlong { get; init; }

    /// <summary>Lane between rows, before the sunlight spacing.</summary>
    public required (double Min, double Max) GapAcross { get; init; }

    /// <summary>Extra gap north of a row as a multiple of the row's tallest building (the sunlight spacing of
    /// Chinese residential planning).</summary>
    public double SunlightSpacing { get; init; }

    /// <summary>Share of plots left empty (yards, sports grounds, parking, fields).</summary>
    public required double Vacancy { get; init; }

    /// <summary>The building's share of its plot, per axis.</summary>
    public (double Min, double Max) Fill { get; init; } = (0.8, 1.0);

    public double LShare { get; init; }

    public double CourtyardShare { get; init; }

    /// <summary>Depth of the wings of a perimeter block.</summary>
    public (double Min, double Max) CourtyardDepth { get; init; } = (10, 14);

    /// <summary>Smallest courtyard side; smaller plots get a plain rectangle.</summary>
    public double MinCourtyard { get; init; } = 12;

    public required (int Levels, double Weight)[] Levels { get; init; }

    /// <summary>All buildings of a cell share one height (a residential estate).</summary>
    public bool UniformLevels { get; init; }

    /// <summary>Storey height; null for the usual one of the kind.</summary>
    public (double Min, double Max)? StoreyHeight { get; init; }

    /// <summary>Weights of <see cref="BuildingKind"/> values, in enum order.</summary>
    public required double[] Kinds { get; init; }

    /// <summary>Share of plots holding a small amenity instead (kindergarten, shop, community centre).</summary>
    public double AmenityShare { get; init; }

    /// <summary>Largest random turn (degrees) of the cell's buildings against the street grid.</summary>
    public double TurnDeg { get; init; }
}

/// <summary>
/// Places building footprints in the cells of the street lattice (the blocks between lattice lines). Each cell keeps
/// the road surfaces of its edges and corners clear (half the road width of the class plus the style's setback), so
/// no building touches a road; buildings never leave their cell, so buildings of different cells cannot meet, and
/// within a cell the plots of one layout are disjoint and later layouts check the boxes already taken. What a cell
/// holds follows its zone (residential communities, key facilities, schools, crowded places, urban villages, mining
/// areas, fringes) or else the population density: perimeter blocks and towers in the core, slabs in the city,
/// workshops and sheds in the suburbs, hamlets in the countryside. Costs O(cells + buildings): about 0.3 s for the
/// 26,000 buildings of the default city (warm; the first call in a process also pays for JIT compilation).
/// </summary>
internal sealed class BuildingPlan
{
    /// <summary>Least distance from a building to a camera, metres.</summary>
    public const double CameraClearance = 2;

    private static readonly double[] ResidentialOnly = [1, 0, 0, 0, 0];

    private static readonly BuildingStyle Village = new()
    {
        Setback = 1.5,
        Margin = 1,
        RowDepth = (16, 22),
        PlotWidth = (12, 18),
        GapAlong = (0.8, 1.5),
        GapAcross = (3, 5),
        Vacancy = 0.06,
        Fill = (0.82, 1.0),
        LShare = 0.35,
        CourtyardShare = 0.3,
        CourtyardDepth = (4, 5.5),
        MinCourtyard = 5,
        Levels = [(1, 0.15), (2, 0.3), (3, 0.25), (4, 0.15), (5, 0.1), (6, 0.05)],
        Kinds = [0.85, 0.1, 0, 0, 0.05],
        TurnDeg = 4,
    };

    private static readonly BuildingStyle Hamlet = new()
    {
        Setback = 3,
        Margin = 2,
        RowDepth = (18, 26),
        PlotWidth = (16, 26),
        GapAlong = (1, 3),
        GapAcross = (4, 7),
        Vacancy = 0.25,
        Fill = (0.7, 0.95),
        LShare = 0.3,
        CourtyardShare = 0.35,
        CourtyardDepth = (4, 5.5),
        MinCourtyard = 6,
        Levels = [(1, 0.7), (2, 0.3)],
        Kinds = [0.8, 0, 0.05, 0, 0.15],
        TurnDeg = 6,
    };

    private static readonly BuildingStyle Community = new()
    {
        Setback = 8,
        Margin = 6,
        RowDepth = (12, 16),
        PlotWidth = (36, 72),
        GapAlong = (10, 18),
        GapAcross = (8, 12),
        SunlightSpacing = 0.7,
        Vacancy = 0.08,
        Fill = (1, 1),
        LShare = 0.08,
        AmenityShare = 0.06,
        UniformLevels = true,
        Levels = [(6, 0.35), (11, 0.25), (18, 0.25), (26, 0.12), (33, 0.03)],
        Kinds = ResidentialOnly,
    };

    private static readonly BuildingStyle TowerCommunity = Community with
    {
        RowDepth = (18, 24),
        PlotWidth = (20, 30),
        GapAlong = (14, 24),
        SunlightSpacing = 0.5,
        LShare = 0,
        Levels = [(18, 0.3), (26, 0.4), (33, 0.3)],
    };

    private static readonly BuildingStyle Compound = new()
    {
        Setback = 6,
        Margin = 5,
        RowDepth = (50, 80),
        PlotWidth = (50, 90),
        GapAlong = (12, 20),
        GapAcross = (12, 20),
        Vacancy = 0,
        Fill = (0.9, 1),
        LShare = 0.1,
        CourtyardShare = 0.8,
        CourtyardDepth = (11, 14),
        MinCourtyard = 18,
        Levels = [(5, 0.4), (6, 0.6)],
        UniformLevels = true,
        Kinds = ResidentialOnly,
    };

    private static readonly BuildingStyle Core = new()
    {
        Setback = 4,
        Margin = 4,
        RowDepth = (20, 50),
        PlotWidth = (20, 65),
        GapAlong = (6, 12),
        GapAcross = (8, 14),
        Vacancy = 0.1,
        LShare = 0.3,
        CourtyardShare = 0.25,
        CourtyardDepth = (12, 16),
        MinCourtyard = 14,
        Levels = [(3, 0.08), (4, 0.1), (5, 0.12), (6, 0.14), (8, 0.12), (10, 0.1), (12, 0.1), (15, 0.08), (18, 0.07), (22, 0.05), (26, 0.03), (30, 0.01)],
        Kinds = [0.45, 0.4, 0, 0.1, 0.05],
    };

    private static readonly BuildingStyle Urban = new()
    {
        Setback = 6,
        Margin = 5,
        RowDepth = (12, 18),
        PlotWidth = (40, 80),
        GapAlong = (10, 20),
        GapAcross = (8, 12),
        SunlightSpacing = 1.0,
        Vacancy = 0.4,
        Fill = (0.85, 1),
        LShare = 0.25,
        CourtyardShare = 0.04,
        CourtyardDepth = (10, 13),
        Levels = [(4, 0.1), (5, 0.2), (6, 0.35), (7, 0.1), (9, 0.1), (11, 0.1), (16, 0.05)],
        Kinds = [0.72, 0.2, 0, 0.06, 0.02],
    };

    private static readonly BuildingStyle Suburban = new()
    {
        Setback = 8,
        Margin = 5,
        RowDepth = (12, 40),
        PlotWidth = (15, 60),
        GapAlong = (8, 20),
        GapAcross = (10, 20),
        SunlightSpacing = 0.3,
        Vacancy = 0.85,
        Fill = (0.6, 1),
        LShare = 0.2,
        CourtyardShare = 0.08,
        CourtyardDepth = (6, 9),
        MinCourtyard = 8,
        Levels = [(1, 0.15), (2, 0.25), (3, 0.2), (4, 0.1), (5, 0.1), (6, 0.15), (11, 0.05)],
        Kinds = [0.5, 0.12, 0.3, 0.04, 0.04],
    };

    private static readonly BuildingStyle IndustrialPark = new()
    {
        Setback = 10,
        Margin = 6,
        RowDepth = (30, 70),
        PlotWidth = (40, 110),
        GapAlong = (12, 25),
        GapAcross = (15, 25),
        Vacancy = 0.3,
        Fill = (0.7, 1),
        LShare = 0.2,
        Levels = [(1, 0.6), (2, 0.3), (3, 0.1)],
        StoreyHeight = (6, 9),
        Kinds = [0, 0, 0.9, 0, 0.1],
    };

    private static readonly BuildingStyle Outer = new()
    {
        Setback = 8,
        Margin = 5,
        RowDepth = (12, 30),
        PlotWidth = (12, 40),
        GapAlong = (10, 30),
        GapAcross = (10, 30),
        Vacancy = 0.95,
        Fill = (0.7, 1),
        LShare = 0.2,
        CourtyardShare = 0.2,
        CourtyardDepth = (4, 6),
        MinCourtyard = 6,
        Levels = [(1, 0.4), (2, 0.4), (3, 0.2)],
        Kinds = [0.55, 0.05, 0.25, 0, 0.15],
    };

    private static readonly BuildingStyle Fringe = Outer with { Vacancy = 0.8 };

    private static readonly BuildingStyle Farmstead = Outer with { RowDepth = (8, 20), PlotWidth = (10, 30), Vacancy = 0 };

    private static readonly BuildingStyle Mining = new()
    {
        Setback = 10,
        Margin = 8,
        RowDepth = (20, 60),
        PlotWidth = (25, 90),
        GapAlong = (20, 50),
        GapAcross = (20, 50),
        Vacancy = 0.8,
        Fill = (0.6, 1),
        LShare = 0.15,
        Levels = [(1, 0.7), (2, 0.3)],
        StoreyHeight = (6, 12),
        Kinds = [0, 0, 0.9, 0, 0.1],
    };

    private static readonly BuildingStyle Utility = new()
    {
        Setback = 10,
        Margin = 8,
        RowDepth = (25, 70),
        PlotWidth = (30, 100),
        GapAlong = (15, 30),
        GapAcross = (15, 30),
        Vacancy = 0.35,
        Fill = (0.7, 1),
        LShare = 0.2,
        Levels = [(1, 0.5), (2, 0.3), (3, 0.2)],
        StoreyHeight = (6, 10),
        Kinds = [0, 0, 0.9, 0.1, 0],
    };

    private static readonly BuildingStyle Government = new()
    {
        Setback = 12,
        Margin = 8,
        RowDepth = (20, 60),
        PlotWidth = (40, 90),
        GapAlong = (15, 25),
        GapAcross = (15, 30),
        Vacancy = 0.2,
        LShare = 0.35,
        CourtyardShare = 0.3,
        CourtyardDepth = (12, 15),
        MinCourtyard = 16,
        Levels = [(4, 0.3), (5, 0.3), (8, 0.2), (12, 0.15), (18, 0.05)],
        Kinds = [0, 0, 0, 0.95, 0.05],
    };

    private static readonly BuildingStyle Hospital = Government with
    {
        CourtyardShare = 0.15,
        Levels = [(4, 0.2), (6, 0.25), (9, 0.25), (12, 0.2), (16, 0.1)],
        Kinds = [0, 0, 0, 1, 0],
    };

    private static readonly BuildingStyle Station = new()
    {
        Setback = 15,
        Margin = 8,
        RowDepth = (40, 80),
        PlotWidth = (80, 160),
        GapAlong = (15, 30),
        GapAcross = (15, 30),
        Vacancy = 0.3,
        Fill = (0.8, 1),
        LShare = 0.1,
        Levels = [(1, 0.3), (2, 0.5), (3, 0.2)],
        StoreyHeight = (6, 9),
        Kinds = [0, 0.15, 0, 0.85, 0],
    };

    private static readonly BuildingStyle School = new()
    {
        Setback = 10,
        Margin = 6,
        RowDepth = (14, 18),
        PlotWidth = (40, 70),
        GapAlong = (15, 25),
        GapAcross = (12, 18),
        SunlightSpacing = 0.8,
        Vacancy = 0.45,
        Fill = (1, 1),
        LShare = 0.35,
        Levels = [(3, 0.2), (4, 0.4), (5, 0.4)],
        StoreyHeight = (3.6, 3.9),
        Kinds = [0, 0, 0, 1, 0],
    };

    private static readonly BuildingStyle Mall = new()
    {
        Setback = 8,
        Margin = 6,
        RowDepth = (50, 100),
        PlotWidth = (60, 130),
        GapAlong = (12, 20),
        GapAcross = (12, 20),
        Vacancy = 0.15,
        Fill = (0.85, 1),
        LShare = 0.2,
        Levels = [(3, 0.2), (4, 0.3), (5, 0.3), (6, 0.2)],
        StoreyHeight = (4.5, 5.5),
        Kinds = [0, 1, 0, 0, 0],
    };

    private static readonly BuildingStyle Market = new()
    {
        Setback = 3,
        Margin = 2,
        RowDepth = (12, 25),
        PlotWidth = (8, 20),
        GapAlong = (0.8, 2),
        GapAcross = (6, 12),
        Vacancy = 0.1,
        Fill = (0.85, 1),
        Levels = [(1, 0.3), (2, 0.35), (3, 0.25), (4, 0.1)],
        Kinds = [0, 0.95, 0, 0, 0.05],
    };

    private static readonly BuildingStyle OpenSpace = new()
    {
        Setback = 10,
        Margin = 8,
        RowDepth = (8, 20),
        PlotWidth = (8, 25),
        GapAlong = (30, 80),
        GapAcross = (30, 80),
        Vacancy = 0.85,
        Fill = (0.7, 1),
        Levels = [(1, 0.8), (2, 0.2)],
        Kinds = [0, 0, 0, 0.5, 0.5],
    };

    private static readonly BuildingStyle Stadium = new()
    {
        Setback = 12,
        Margin = 8,
        RowDepth = (90, 140),
        PlotWidth = (90, 160),
        GapAlong = (20, 30),
        GapAcross = (20, 30),
        Vacancy = 0.3,
        Fill = (0.85, 1),
        Levels = [(2, 0.4), (3, 0.4), (4, 0.2)],
        StoreyHeight = (6, 8),
        Kinds = [0, 0, 0, 1, 0],
    };

    private readonly UrbanForm _form;
    private readonly StreetGrid _grid;
    private readonly DistrictPlan _districts;
    private readonly Random _random;
    private readonly IReadOnlyList<MetricZone> _zones;
    private readonly IPointOnGeometryLocator[] _zoneLocators;
    private readonly STRtree<int> _zoneIndex = new();
    private readonly IPreparedGeometry _roadArea;
    private readonly STRtree<Coordinate> _cameras = new();
    private readonly List<MetricBuilding> _buildings = [];
    private int _districtHint = -1;

    private BuildingPlan(UrbanForm form, StreetGrid grid, DistrictPlan districts, IReadOnlyList<MetricZone> zones, IReadOnlyList<MetricCamera> cameras, Random random)
    {
        foreach (var camera in cameras) _cameras.Insert(new Envelope(camera.Location), camera.Location);
        _cameras.Build();
        _form = form;
        _grid = grid;
        _districts = districts;
        _zones = zones;
        _random = random;
        _zoneLocators = zones.Select(z => (IPointOnGeometryLocator)new IndexedPointInAreaLocator(z.Area)).ToArray();
        for (var z = 0; z < zones.Count; z++)
        {
            if (zones[z].Kind != ZoneKind.DisorderHotspotArea) _zoneIndex.Insert(zones[z].Area.EnvelopeInternal, z);
        }
        _zoneIndex.Build();
        _roadArea = PreparedGeometryFactory.Prepare(form.RoadArea);
    }

    /// <summary>Buildings keep <see cref="CameraClearance"/> metres from every camera, so no camera ends up inside one
    /// (a camera inside a footprint would see nothing).</summary>
    public static List<MetricBuilding> Build(UrbanForm form, StreetGrid grid, DistrictPlan districts, IReadOnlyList<MetricZone> zones,
        IReadOnlyList<MetricCamera> cameras, Random random)
    {
        var plan = new BuildingPlan(form, grid, districts, zones, cameras, random);
        for (var i = 0; i + 1 < grid.ColumnCount; i++)
        {
            for (var j = 0; j + 1 < grid.RowCount; j++) plan.FillCell(i, j);
        }
        return plan._buildings;
    }

    private void FillCell(int i, int j)
    {
        var nodes = new[] { _grid.Nodes[i, j], _grid.Nodes[i + 1, j], _grid.Nodes[i + 1, j + 1], _grid.Nodes[i, j + 1] };
        if (!nodes.All(_form.InRoadArea)) return;
        var centre = _grid.CellCentre(i, j);
        var envelope = new Envelope(nodes[0]);
        foreach (var n in nodes) envelope.ExpandToInclude(n);

        // the block zone holding the cell centre, and the area zones reaching into the cell
        MetricZone? block = null;
        var areas = new List<int>();
        foreach (var z in _zoneIndex.Query(envelope).Order())
        {
            var zone = _zones[z];
            if (zone.Kind is ZoneKind.UrbanVillage or ZoneKind.MiningArea or ZoneKind.UrbanRuralFringe) areas.Add(z);
            else if (_zoneLocators[z].Locate(centre) != Location.Exterior) block ??= zone;
        }
        var density = _form.Density(centre);
        var rural = density < 0.08;
        var settled = !rural || _random.Chance(0.05);
        if (block is null && areas.Count == 0 && !settled) return;
        if (!_roadArea.Contains(_form.Factory.CreatePolygon([.. nodes, nodes[0]]))) return;

        if (block is not null)
        {
            var style = StyleFor(block);
            if (CellFrame.Create(_grid, _form.Factory, i, j, style.TurnDeg, _random) is { } cell) Lay(cell, style, cell.Area(style), null);
            return;
        }
        // area zones first (villages before mining areas before fringes), then the rest of the cell by density
        var byPriority = areas.OrderBy(z => _zones[z].Kind switch { ZoneKind.UrbanVillage => 0, ZoneKind.MiningArea => 1, _ => 2 }).ThenBy(z => z).ToArray();
        var generic = GenericStyle(density);
        var turn = byPriority.Length > 0 ? StyleFor(_zones[byPriority[0]]).TurnDeg : generic.TurnDeg;
        if (CellFrame.Create(_grid, _form.Factory, i, j, turn, _random) is not { } frame) return;
        for (var k = 0; k < byPriority.Length; k++)
        {
            var (z, earlier) = (byPriority[k], byPriority[..k]);
            var style = StyleFor(_zones[z]);
            Lay(frame, style, frame.Area(style), c => Inside(z, c) && !earlier.Any(e => Inside(e, c)));
        }
        Func<Coordinate, bool>? outside = byPriority.Length == 0 ? null : c => !byPriority.Any(e => Inside(e, c));
        if (!rural)
        {
            Lay(frame, generic, frame.Area(generic), outside);
        }
        else if (settled)
        {
            // a hamlet in part of the cell, or an isolated farmstead
            var hamlet = _random.Chance(0.6);
            var style = hamlet ? Hamlet : Farmstead;
            if (frame.Area(style) is not { } b) return;
            var (w, h) = hamlet ? (_random.Uniform(60, 130), _random.Uniform(60, 130)) : (_random.Uniform(10, 30), _random.Uniform(8, 20));
            var x0 = b.MinX + (_random.NextDouble() * Math.Max(0, b.Width - w));
            var y0 = b.MinY + (_random.NextDouble() * Math.Max(0, b.Height - h));
            Lay(frame, style, new Envelope(x0, Math.Min(b.MaxX, x0 + w), y0, Math.Min(b.MaxY, y0 + h)), outside);
        }
    }

    private bool Inside(int zone, Coordinate c) =>
        _zones[zone].Area.EnvelopeInternal.Contains(c) && _zoneLocators[zone].Locate(c) != Location.Exterior;

    private BuildingStyle GenericStyle(double density) => density switch
    {
        >= 0.9 => Core,
        >= 0.5 => Urban,
        >= 0.2 => _random.Chance(0.2) ? IndustrialPark : Suburban,
        _ => _random.Chance(0.1) ? IndustrialPark : Outer,
    };

    private BuildingStyle StyleFor(MetricZone zone) => zone.Kind switch
    {
        ZoneKind.UrbanVillage => Village,
        ZoneKind.MiningArea => Mining,
        ZoneKind.UrbanRuralFringe => Fringe,
        ZoneKind.School => School,
        ZoneKind.ResidentialCommunity => CommunityStyle(zone),
        ZoneKind.KeyFacility => zone.Tag switch
        {
            "power_plant" or "waterworks" or "gas_depot" or "substation" => Utility,
            "railway_station" or "bus_station" => Station,
            "hospital" => Hospital,
            _ => Government,
        },
        ZoneKind.CrowdedPublicPlace => zone.Tag switch
        {
            "mall" => Mall,
            "shopping_street" or "market" or "night_market" => Market,
            "stadium" => Stadium,
            "square" or "park" or "railway_station" => OpenSpace,
            _ => Core,
        },
        _ => Core,
    };

    /// <summary>One community keeps one layout in all its cells: a hash of its name picks slabs, towers or an old
    /// perimeter-block compound.</summary>
    private static BuildingStyle CommunityStyle(MetricZone zone)
    {
        var h = 17;
        foreach (var c in zone.Name) h = unchecked((h * 31) + c);
        var bucket = ((h % 100) + 100) % 100;
        return bucket switch
        {
            < 12 => Compound,
            < 35 => TowerCommunity,
            _ => Community,
        };
    }

    /// <summary>Lays rows of plots over <paramref name="area"/> (cell frame coordinates), keeping buildings whose
    /// centre passes <paramref name="accept"/>.</summary>
    private void Lay(CellFrame cell, BuildingStyle style, Envelope? area, Func<Coordinate, bool>? accept)
    {
        if (area is null) return;
        var uniformLevels = style.UniformLevels ? Levels(style) : 0;
        var v = area.MinY;
        while (v < area.MaxY)
        {
            var depth = Draw(style.RowDepth);
            if (v + depth > area.MaxY) depth = Math.Max(style.RowDepth.Min * 0.7, area.MaxY - v);
            var rowTop = v + depth;
            if (rowTop > area.MaxY) break;
            var tallest = 0.0;
            var u = area.MinX + (_random.NextDouble() * Math.Min(2, style.GapAlong.Max));
            while (u < area.MaxX)
            {
                var width = Draw(style.PlotWidth);
                var plot = new Envelope(u, Math.Min(u + width, area.MaxX), v, rowTop);
                u += width + Draw(style.GapAlong);
                if (plot.Width < style.PlotWidth.Min * 0.5 || _random.Chance(style.Vacancy)) continue;
                var height = TryPlace(cell, style, plot, uniformLevels, accept);
                tallest = Math.Max(tallest, height);
            }
            v = rowTop + Draw(style.GapAcross) + (style.SunlightSpacing * tallest);
        }
    }

    /// <summary>Puts one building on the plot if it fits the cell; returns its height (0 when none).</summary>
    private double TryPlace(CellFrame cell, BuildingStyle style, Envelope plot, int uniformLevels, Func<Coordinate, bool>? accept)
    {
        var amenity = _random.Chance(style.AmenityShare);
        var fill = amenity ? (0.45, 0.7) : style.Fill;
        var (w, h) = (plot.Width * Draw(fill), plot.Height * Draw(fill));
        if (w < 4 || h < 4) return 0;
        var x0 = plot.MinX + (_random.NextDouble() * (plot.Width - w));
        var y0 = plot.MinY + (_random.NextDouble() * (plot.Height - h));
        var box = new Envelope(x0, x0 + w, y0, y0 + h);
        if (!cell.Fits(box, style))
        {
            // one more try, smaller and centred on the plot
            var c = plot.Centre;
            (w, h) = (w * 0.7, h * 0.7);
            box = new Envelope(c.X - (w / 2), c.X + (w / 2), c.Y - (h / 2), c.Y + (h / 2));
            if (w < 4 || h < 4 || !cell.Fits(box, style)) return 0;
        }
        if (accept is not null && !accept(cell.ToMetric(box.Centre))) return 0;
        if (NearACamera(cell, box)) return 0;
        if (!cell.Claim(box)) return 0;

        var shape = Shape(style, box, amenity);
        var kind = amenity ? (_random.Chance(0.5) ? BuildingKind.Public : BuildingKind.Commercial) : (BuildingKind)_random.PickWeighted(style.Kinds);
        var levels = amenity ? 2 + _random.Next(2) : uniformLevels > 0 ? uniformLevels : Levels(style);
        var storey = style.StoreyHeight is { } s ? Draw(s) : kind switch
        {
            BuildingKind.Residential => 3.0,
            BuildingKind.Industrial => Draw((5, 8)),
            BuildingKind.Other => 3.2,
            _ => 3.9,
        };
        var heightM = Math.Round((levels * storey) + Draw((0.6, 1.5)), 1, MidpointRounding.AwayFromZero);
        var footprint = cell.ToMetric(shape);
        var centroid = footprint.Centroid.Coordinate;
        _districtHint = _districts.IndexAt(centroid, _districtHint);
        var district = _districtHint >= 0 ? _districts.Districts[_districtHint].Code : null;
        _buildings.Add(new MetricBuilding(kind, levels, heightM, footprint, district));
        return heightM;
    }

    private bool NearACamera(CellFrame cell, Envelope box)
    {
        var search = new Envelope();
        foreach (var corner in new[] { new Coordinate(box.MinX, box.MinY), new Coordinate(box.MaxX, box.MinY), new Coordinate(box.MaxX, box.MaxY), new Coordinate(box.MinX, box.MaxY) })
        {
            search.ExpandToInclude(cell.ToMetric(corner));
        }
        search.ExpandBy(CameraClearance);
        foreach (var camera in _cameras.Query(search))
        {
            var (x, y) = cell.ToLocal(camera);
            var dx = Math.Max(Math.Max(box.MinX - x, 0), x - box.MaxX);
            var dy = Math.Max(Math.Max(box.MinY - y, 0), y - box.MaxY);
            if ((dx * dx) + (dy * dy) < CameraClearance * CameraClearance) return true;
        }
        return false;
    }

    /// <summary>The footprint in the box (cell frame): a rectangle, an L, or a perimeter block with a courtyard hole.
    /// Rings are counter-clockwise (holes clockwise), closed.</summary>
    private (double X, double Y)[][] Shape(BuildingStyle style, Envelope box, bool amenity)
    {
        var (x0, y0, x1, y1) = (box.MinX, box.MinY, box.MaxX, box.MaxY);
        (double, double)[] rectangle = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
        if (amenity) return [rectangle];
        var roll = _random.NextDouble();
        if (roll < style.CourtyardShare)
        {
            var d = Draw(style.CourtyardDepth);
            if (box.Width - (2 * d) >= style.MinCourtyard && box.Height - (2 * d) >= style.MinCourtyard)
            {
                var (a0, b0, a1, b1) = (x0 + d, y0 + d, x1 - d, y1 - d);
                return [rectangle, [(a0, b0), (a0, b1), (a1, b1), (a1, b0), (a0, b0)]];
            }
            return [rectangle];
        }
        if (roll < style.CourtyardShare + style.LShare && box.Width >= 12 && box.Height >= 12)
        {
            // keep a bar along one side and a wing along the next; the notch is at one of the four corners
            var cx = x0 + (box.Width * Draw((0.4, 0.65)));
            var cy = y0 + (box.Height * Draw((0.4, 0.65)));
            return _random.Next(4) switch
            {
                0 => [[(x0, y0), (x1, y0), (x1, cy), (cx, cy), (cx, y1), (x0, y1), (x0, y0)]], // notch north-east
                1 => [[(x0, y0), (x1, y0), (x1, y1), (cx, y1), (cx, cy), (x0, cy), (x0, y0)]], // notch north-west
                2 => [[(x0, y0), (cx, y0), (cx, cy), (x1, cy), (x1, y1), (x0, y1), (x0, y0)]], // notch south-east
                _ => [[(cx, y0), (x1, y0), (x1, y1), (x0, y1), (x0, cy), (cx, cy), (cx, y0)]], // notch south-west
            };
        }
        return [rectangle];
    }

    private int Levels(BuildingStyle style) => style.Levels[_random.PickWeighted(style.Levels.Select(l => l.Weight).ToArray())].Levels;

    private double Draw((double Min, double Max) range) => _random.Uniform(range.Min, range.Max);

    /// <summary>
    /// A lattice cell in its own frame: x along the cell's southern edge (turned by a few degrees for irregular
    /// styles), y to its left. Each edge keeps its road surface plus the setback clear (or the margin where the edge
    /// has no road), each corner where a road ends keeps a disc of half the widest road there plus the setback clear;
    /// the boxes already claimed are kept for the overlap check.
    /// </summary>
    private sealed class CellFrame
    {
        private readonly Coordinate _origin;
        private readonly (double X, double Y) _u;
        private readonly (double X, double Y) _v;
        private readonly GeometryFactory _factory;
        private readonly (double X, double Y, double Nx, double Ny, double HalfRoad)[] _edges; // HalfRoad −1: no road
        private readonly (double X, double Y, double HalfRoad)[] _corners;
        private readonly List<Envelope> _claimed = [];

        private CellFrame(Coordinate origin, (double, double) u, GeometryFactory factory,
            (double, double, double, double, double)[] edges, (double, double, double)[] corners)
        {
            _origin = origin;
            _u = u;
            _v = (-u.Item2, u.Item1);
            _factory = factory;
            _edges = edges;
            _corners = corners;
        }

        public static CellFrame? Create(StreetGrid grid, GeometryFactory factory, int i, int j, double turnDeg, Random random)
        {
            Coordinate[] n = [grid.Nodes[i, j], grid.Nodes[i + 1, j], grid.Nodes[i + 1, j + 1], grid.Nodes[i, j + 1]];
            RoadClass?[] edgeClass = [grid.RowEdgeClass(i, j), grid.ColumnEdgeClass(i + 1, j), grid.RowEdgeClass(i, j + 1), grid.ColumnEdgeClass(i, j)];
            var angle = Math.Atan2(n[1].Y - n[0].Y, n[1].X - n[0].X) + (random.Uniform(-turnDeg, turnDeg) * Math.PI / 180);
            var origin = n[0];
            var u = (Math.Cos(angle), Math.Sin(angle));
            var local = n.Select(c => Local(origin, u, c)).ToArray();
            var edges = new (double, double, double, double, double)[4];
            for (var k = 0; k < 4; k++)
            {
                var (a, b) = (local[k], local[(k + 1) % 4]);
                var length = Math.Sqrt(((b.X - a.X) * (b.X - a.X)) + ((b.Y - a.Y) * (b.Y - a.Y)));
                if (length < 1) return null;
                // inward normal of a counter-clockwise ring: the left normal of the edge
                edges[k] = (a.X, a.Y, -(b.Y - a.Y) / length, (b.X - a.X) / length, edgeClass[k] is { } c ? c.WidthM() / 2 : -1);
            }
            var corners = new List<(double, double, double)>();
            for (var k = 0; k < 4; k++)
            {
                var half = CornerHalfWidth(grid, k switch { 0 => (i, j), 1 => (i + 1, j), 2 => (i + 1, j + 1), _ => (i, j + 1) });
                if (half > 0) corners.Add((local[k].X, local[k].Y, half));
            }
            return new CellFrame(origin, u, factory, edges, [.. corners]);
        }

        /// <summary>
        /// The bounding box (cell frame) of the cell shrunk by the style's clearance from each edge, or null when
        /// nothing is left. The shrunk cell is convex, so a box inside it with its corners clear is clear entirely.
        /// </summary>
        public Envelope? Area(BuildingStyle style)
        {
            var lines = _edges.Select(e =>
            {
                var d = Clearance(e.HalfRoad, style);
                return (X: e.X + (d * e.Nx), Y: e.Y + (d * e.Ny), Tx: e.Ny, Ty: -e.Nx);
            }).ToArray();
            var vertices = new (double X, double Y)[4];
            for (var k = 0; k < 4; k++)
            {
                var (p, q) = (lines[(k + 3) % 4], lines[k]);
                var denominator = (p.Tx * q.Ty) - (p.Ty * q.Tx);
                if (Math.Abs(denominator) < 1e-9) return null;
                var s = (((q.X - p.X) * q.Ty) - ((q.Y - p.Y) * q.Tx)) / denominator;
                vertices[k] = (p.X + (s * p.Tx), p.Y + (s * p.Ty));
            }
            for (var k = 0; k < 4; k++)
            {
                var (a, b, c) = (vertices[k], vertices[(k + 1) % 4], vertices[(k + 2) % 4]);
                if (((b.X - a.X) * (c.Y - b.Y)) - ((b.Y - a.Y) * (c.X - b.X)) <= 0) return null;
            }
            var area = new Envelope();
            foreach (var (x, y) in vertices) area.ExpandToInclude(x, y);
            return area.Width >= 4 && area.Height >= 4 ? area : null;
        }

        /// <summary>Whether the box keeps clear of the cell's roads and edges.</summary>
        public bool Fits(Envelope box, BuildingStyle style)
        {
            foreach (var (x, y, nx, ny, halfRoad) in _edges)
            {
                var clearance = Clearance(halfRoad, style);
                // the signed distance is linear, so the nearest corner of the box decides
                var nearest = Math.Min(Math.Min(((box.MinX - x) * nx) + ((box.MinY - y) * ny), ((box.MaxX - x) * nx) + ((box.MinY - y) * ny)),
                    Math.Min(((box.MaxX - x) * nx) + ((box.MaxY - y) * ny), ((box.MinX - x) * nx) + ((box.MaxY - y) * ny)));
                if (nearest < clearance) return false;
            }
            foreach (var (x, y, halfRoad) in _corners)
            {
                var dx = Math.Max(Math.Max(box.MinX - x, 0), x - box.MaxX);
                var dy = Math.Max(Math.Max(box.MinY - y, 0), y - box.MaxY);
                var r = halfRoad + style.Setback;
                if ((dx * dx) + (dy * dy) < r * r) return false;
            }
            return true;
        }

        /// <summary>Takes the box unless it comes within 1 m of a box already taken in this cell.</summary>
        public bool Claim(Envelope box)
        {
            foreach (var other in _claimed)
            {
                if (box.MinX < other.MaxX + 1 && other.MinX < box.MaxX + 1 && box.MinY < other.MaxY + 1 && other.MinY < box.MaxY + 1) return false;
            }
            _claimed.Add(box);
            return true;
        }

        public (double X, double Y) ToLocal(Coordinate metric) => Local(_origin, _u, metric);

        public Coordinate ToMetric(Coordinate local) =>
            new(_origin.X + (local.X * _u.X) + (local.Y * _v.X), _origin.Y + (local.X * _u.Y) + (local.Y * _v.Y));

        public Polygon ToMetric((double X, double Y)[][] rings)
        {
            LinearRing Ring((double X, double Y)[] ring) => _factory.CreateLinearRing(ring.Select(p => ToMetric(new Coordinate(p.X, p.Y))).ToArray());
            return _factory.CreatePolygon(Ring(rings[0]), rings.Skip(1).Select(Ring).ToArray());
        }

        private static double Clearance(double halfRoad, BuildingStyle style) => halfRoad >= 0 ? halfRoad + style.Setback : style.Margin;

        private static (double X, double Y) Local(Coordinate origin, (double X, double Y) u, Coordinate c)
        {
            var (dx, dy) = (c.X - origin.X, c.Y - origin.Y);
            return ((dx * u.X) + (dy * u.Y), (-dx * u.Y) + (dy * u.X));
        }

        /// <summary>Half the width of the widest road meeting at lattice node (i, j), or 0 when none does.</summary>
        private static double CornerHalfWidth(StreetGrid grid, (int I, int J) node)
        {
            var (i, j) = node;
            var widest = 0.0;
            void Consider(RoadClass? c)
            {
                if (c is { } roadClass) widest = Math.Max(widest, roadClass.WidthM() / 2);
            }
            if (j + 1 < grid.RowCount) Consider(grid.ColumnEdgeClass(i, j));
            if (j > 0) Consider(grid.ColumnEdgeClass(i, j - 1));
            if (i + 1 < grid.ColumnCount) Consider(grid.RowEdgeClass(i, j));
            if (i > 0) Consider(grid.RowEdgeClass(i - 1, j));
            return widest;
        }
    }
}
