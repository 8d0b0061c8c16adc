using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using SituationMap.Analysis.Domain;

namespace SituationMap.DemoCity;

/// <summary>A zone in metres. <see cref="Tag"/> says what it is inside its kind (railway_station, night_market…).</summary>
internal sealed record MetricZone(string Name, string NameEn, ZoneKind Kind, int RiskLevel, Geometry Area, string Tag)
{
    public Coordinate Centre => Area.Centroid.Coordinate;
}

/// <summary>
/// Places the zones: urban villages first (the street grid leaves them without planned local streets), then key
/// facilities, crowded places and schools on street blocks near where such places usually are, residential
/// communities on many blocks weighted by density, band pieces of urban–rural fringe around the built-up edge,
/// mining areas in the north-western hills and public-order hotspot areas around the usual trouble spots.
/// </summary>
internal sealed class ZonePlan
{
    private readonly UrbanForm _form;
    private readonly StreetGrid _grid;
    private readonly Random _random;
    private readonly bool[,] _occupied;
    private readonly NamePool _names;

    private ZonePlan(UrbanForm form, StreetGrid grid, Random random, NamePool names)
    {
        _form = form;
        _grid = grid;
        _random = random;
        _names = names;
        _occupied = new bool[grid.ColumnCount - 1, grid.RowCount - 1];
    }

    public List<MetricZone> Zones { get; } = [];

    /// <summary>Urban villages: irregular polygons of 180–400 m radius inside the built-up area, away from the old
    /// town. Drawn before the streets so the grid can leave them alone.</summary>
    public static List<MetricZone> UrbanVillages(UrbanForm form, Random random)
    {
        var villages = new List<MetricZone>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var radii = new List<double>();
        for (var attempt = 0; attempt < 2_000 && villages.Count < 10; attempt++)
        {
            var centre = form.AtRelativeRadius(random.Uniform(0, 2 * Math.PI), random.Uniform(0.45, 0.95));
            var radius = random.Uniform(180, 400);
            if (centre.Distance(form.Centre) < 1_200) continue;
            var tooClose = false;
            for (var v = 0; v < villages.Count; v++)
            {
                if (villages[v].Centre.Distance(centre) < radius + radii[v] + 250) tooClose = true;
            }
            if (tooClose) continue;
            var blob = Blob(form.Factory, centre, radius, random);
            if (!form.RoadArea.Contains(blob)) continue;
            var surname = random.Pick(PlaceNames.VillageSurnames);
            var suffix = random.Pick(PlaceNames.VillageSuffixes);
            var zh = $"{surname.Zh}家{suffix.Zh}村";
            if (!used.Add(zh)) continue;
            var risk = random.Chance(0.35) ? 4 : 3;
            villages.Add(new MetricZone(zh, $"{surname.En}jia{suffix.En} Village", ZoneKind.UrbanVillage, risk, blob, "urban_village"));
            radii.Add(radius);
        }
        return villages;
    }

    public static List<MetricZone> Build(UrbanForm form, StreetGrid grid, IReadOnlyList<MetricZone> villages, Random random)
    {
        var plan = new ZonePlan(form, grid, random, new NamePool(PlaceNames.ShuffledWords(random)));
        plan.Zones.AddRange(villages);
        plan.OccupyVillages(villages);
        plan.AddFacilitiesAndPlaces();
        plan.AddSchools();
        plan.AddCommunities(220);
        plan.AddFringes();
        plan.AddMiningAreas();
        plan.AddHotspotAreas();
        // one stable order: by kind, then as placed
        return plan.Zones.Select((z, n) => (z, n)).OrderBy(p => p.z.Kind).ThenBy(p => p.n).Select(p => p.z).ToList();
    }

    /// <summary>A star-shaped (hence simple and valid) irregular polygon of about the given radius.</summary>
    public static Polygon Blob(GeometryFactory factory, Coordinate centre, double radius, Random random, int vertices = 16)
    {
        var wobble = Harmonics.Create(random, 2, 4, 0.05, 0.14);
        var ring = new Coordinate[vertices + 1];
        for (var k = 0; k < vertices; k++)
        {
            var angle = (2 * Math.PI * k / vertices) + random.Uniform(-0.08, 0.08);
            var r = radius * wobble.Factor(angle) * random.Uniform(0.92, 1.08);
            ring[k] = new Coordinate(centre.X + (r * Math.Cos(angle)), centre.Y + (r * Math.Sin(angle)));
        }
        ring[vertices] = ring[0].Copy();
        return factory.CreatePolygon(ring);
    }

    private void OccupyVillages(IReadOnlyList<MetricZone> villages)
    {
        var locators = villages.Select(v => (v.Area.EnvelopeInternal, (IPointOnGeometryLocator)new IndexedPointInAreaLocator(v.Area))).ToArray();
        for (var i = 0; i + 1 < _grid.ColumnCount; i++)
        {
            for (var j = 0; j + 1 < _grid.RowCount; j++)
            {
                Coordinate[] probes = [_grid.CellCentre(i, j), _grid.Nodes[i, j], _grid.Nodes[i + 1, j], _grid.Nodes[i, j + 1], _grid.Nodes[i + 1, j + 1]];
                foreach (var (envelope, locator) in locators)
                {
                    if (probes.Any(p => envelope.Contains(p) && locator.Locate(p) != Location.Exterior)) _occupied[i, j] = true;
                }
            }
        }
    }

    private Coordinate Around(double? angleDeg, double jitterDeg, double relativeRadius)
    {
        var angle = angleDeg is { } a ? (a + _random.Uniform(-jitterDeg, jitterDeg)) * Math.PI / 180 : _random.Uniform(0, 2 * Math.PI);
        return _form.AtRelativeRadius(angle, relativeRadius);
    }

    private Coordinate Offset(Coordinate from, double distance)
    {
        var angle = _random.Uniform(0, 2 * Math.PI);
        return new Coordinate(from.X + (distance * Math.Cos(angle)), from.Y + (distance * Math.Sin(angle)));
    }

    private MetricZone? AddBlock(string zh, string en, ZoneKind kind, int risk, string tag, Coordinate target, int ni, int nj, Func<Polygon, bool>? accept = null)
    {
        var polygon = PlaceBlock(target, ni, nj, 12, accept);
        if (polygon is null) return null;
        var zone = new MetricZone(zh, en, kind, risk, polygon, tag);
        Zones.Add(zone);
        return zone;
    }

    /// <summary>The free block of ni × nj lattice cells nearest to <paramref name="target"/>, marked as taken.</summary>
    private Polygon? PlaceBlock(Coordinate target, int ni, int nj, double inset, Func<Polygon, bool>? accept = null)
    {
        var candidates = new List<(double Distance, int I, int J)>();
        for (var i = 0; i + ni < _grid.ColumnCount; i++)
        {
            for (var j = 0; j + nj < _grid.RowCount; j++)
            {
                var d = _grid.CellCentre(i, j).Distance(target);
                if (d < 2_500) candidates.Add((d, i, j));
            }
        }
        candidates.Sort();
        foreach (var (_, i, j) in candidates)
        {
            var polygon = TryBlock(i, j, ni, nj, inset, accept);
            if (polygon is not null) return polygon;
        }
        return null;
    }

    private Polygon? TryBlock(int i, int j, int ni, int nj, double inset, Func<Polygon, bool>? accept = null)
    {
        if (i + ni >= _grid.ColumnCount || j + nj >= _grid.RowCount) return null;
        for (var a = i; a < i + ni; a++)
        {
            for (var b = j; b < j + nj; b++)
            {
                if (_occupied[a, b]) return null;
            }
        }
        var polygon = _grid.Block(i, j, ni, nj, inset);
        if (polygon is null || polygon.Area < 4_000 || (accept is not null && !accept(polygon))) return null;
        for (var a = i; a < i + ni; a++)
        {
            for (var b = j; b < j + nj; b++) _occupied[a, b] = true;
        }
        return polygon;
    }

    private void AddFacilitiesAndPlaces()
    {
        var government = AddBlock("市人民政府", "Municipal Government Compound", ZoneKind.KeyFacility, 3, "government", Around(null, 0, 0.06), 2, 2);
        var station = AddBlock("火车站", "Railway Station", ZoneKind.KeyFacility, 4, "railway_station", Around(180, 15, 0.5), 2, 1);
        AddBlock("长途汽车客运站", "Long-distance Bus Station", ZoneKind.KeyFacility, 3, "bus_station", Around(250, 15, 0.45), 1, 1);
        AddBlock("热电厂", "Thermal Power Plant", ZoneKind.KeyFacility, 3, "power_plant", Around(20, 10, 1.35), 2, 2);
        AddBlock("市第一人民医院", "No. 1 People's Hospital", ZoneKind.KeyFacility, 3, "hospital", Around(null, 0, 0.22), 2, 1);
        AddBlock("市中医院", "Municipal Hospital of Traditional Chinese Medicine", ZoneKind.KeyFacility, 2, "hospital", Around(null, 0, 0.4), 1, 1);
        AddBlock("市公安局", "Municipal Public Security Bureau", ZoneKind.KeyFacility, 3, "police", Around(null, 0, 0.15), 1, 1);
        AddBlock("城北水厂", "North Waterworks", ZoneKind.KeyFacility, 3, "waterworks", Around(95, 10, 1.15), 2, 1);
        AddBlock("燃气储配站", "Gas Storage and Distribution Depot", ZoneKind.KeyFacility, 4, "gas_depot", Around(300, 10, 1.25), 1, 1);
        AddBlock("城东变电站", "East Substation", ZoneKind.KeyFacility, 3, "substation", Around(0, 10, 1.0), 1, 1);
        AddBlock("市人民法院", "Municipal People's Court", ZoneKind.KeyFacility, 2, "court", Around(null, 0, 0.3), 1, 1);
        AddBlock("广播电视中心", "Radio and Television Centre", ZoneKind.KeyFacility, 2, "broadcast", Around(null, 0, 0.45), 1, 1);
        AddBlock("新区管委会", "New District Administrative Committee", ZoneKind.KeyFacility, 3, "government", _form.SubCentre, 1, 1);
        AddBlock("市第二人民医院", "No. 2 People's Hospital", ZoneKind.KeyFacility, 3, "hospital", Offset(_form.SubCentre, 800), 1, 1);

        AddBlock("市民广场", "Citizens' Square", ZoneKind.CrowdedPublicPlace, 3, "square", Offset(government?.Centre ?? _form.Centre, 350), 2, 1);
        AddBlock("火车站站前广场", "Railway Station Plaza", ZoneKind.CrowdedPublicPlace, 3, "railway_station", station?.Centre ?? Around(180, 15, 0.5), 1, 1);
        var word = _names.Next();
        AddBlock(word.Zh + "商业步行街", word.En + " Pedestrian Street", ZoneKind.CrowdedPublicPlace, 3, "shopping_street", Around(null, 0, 0.12), 2, 1);
        word = _names.Next();
        AddBlock(word.Zh + "购物中心", word.En + " Shopping Mall", ZoneKind.CrowdedPublicPlace, 2, "mall", Around(null, 0, 0.3), 1, 1);
        word = _names.Next();
        AddBlock(word.Zh + "购物中心", word.En + " Shopping Mall", ZoneKind.CrowdedPublicPlace, 2, "mall", Offset(_form.SubCentre, 500), 1, 1);
        word = _names.Next();
        AddBlock(word.Zh + "夜市", word.En + " Night Market", ZoneKind.CrowdedPublicPlace, 3, "night_market", Around(null, 0, 0.35), 1, 1);
        word = _names.Next();
        AddBlock(word.Zh + "夜市", word.En + " Night Market", ZoneKind.CrowdedPublicPlace, 3, "night_market", Around(null, 0, 0.7), 1, 1);
        AddBlock("体育中心", "Sports Centre", ZoneKind.CrowdedPublicPlace, 2, "stadium", Around(null, 0, 0.65), 2, 2);
        AddBlock("人民公园", "People's Park", ZoneKind.CrowdedPublicPlace, 2, "park", Around(null, 0, 0.3), 2, 2);
        word = _names.Next();
        AddBlock(word.Zh + "农贸市场", word.En + " Farmers' Market", ZoneKind.CrowdedPublicPlace, 2, "market", Around(null, 0, 0.6), 1, 1);
        word = _names.Next();
        AddBlock(word.Zh + "农贸市场", word.En + " Farmers' Market", ZoneKind.CrowdedPublicPlace, 2, "market", Around(null, 0, 0.85), 1, 1);
    }

    /// <summary>Six middle schools, ten primary schools and a college, at least 700 m from one another.</summary>
    private void AddSchools()
    {
        bool FarFromOtherSchools(Polygon p) =>
            Zones.Where(z => z.Kind == ZoneKind.School).All(z => z.Centre.Distance(p.Centroid.Coordinate) >= 700);
        for (var n = 0; n < 6; n++)
        {
            var number = (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            AddBlock($"市第{PlaceNames.ChineseNumerals[n]}中学", $"No. {number} Middle School", ZoneKind.School, 2, "middle_school",
                Around(null, 0, _random.Uniform(0.1, 0.8)), 1, 1, FarFromOtherSchools);
        }
        for (var n = 0; n < 10; n++)
        {
            var word = _names.Next();
            AddBlock(word.Zh + "小学", word.En + " Primary School", ZoneKind.School, 2, "primary_school",
                Around(null, 0, _random.Uniform(0.1, 0.95)), 1, 1, FarFromOtherSchools);
        }
        var college = _names.Next();
        AddBlock(college.Zh + "职业技术学院", college.En + " Vocational and Technical College", ZoneKind.School, 2, "college",
            Around(null, 0, 0.95), 2, 2, FarFromOtherSchools);
    }

    private void AddCommunities(int wanted)
    {
        var cells = new List<(int I, int J)>();
        var weights = new List<double>();
        for (var i = 0; i + 1 < _grid.ColumnCount; i++)
        {
            for (var j = 0; j + 1 < _grid.RowCount; j++)
            {
                var density = _form.Density(_grid.CellCentre(i, j));
                if (density < 0.3) continue;
                cells.Add((i, j));
                weights.Add(density * density);
            }
        }
        var sampler = new WeightedSampler(weights);
        (int, int)[] sizes = [(1, 1), (1, 1), (2, 1), (1, 2), (2, 2)];
        var placed = 0;
        for (var attempt = 0; attempt < 20_000 && placed < wanted; attempt++)
        {
            var (i, j) = cells[sampler.Sample(_random)];
            var (ni, nj) = _random.Pick(sizes);
            var polygon = TryBlock(i, j, ni, nj, 10);
            if (polygon is null) continue;
            var word = _names.Next();
            var suffix = _random.Pick(PlaceNames.CommunitySuffixes);
            Zones.Add(new MetricZone(word.Zh + suffix.Zh, word.En + " " + suffix.En, ZoneKind.ResidentialCommunity, _random.Chance(0.25) ? 2 : 1, polygon, "community"));
            placed++;
        }
    }

    /// <summary>Six pieces of the band around the built-up edge (relative radius ~0.95 to ~1.25).</summary>
    private void AddFringes()
    {
        var start = _random.Uniform(0, 60);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < 6; k++)
        {
            var mid = (start + (60 * k) + _random.Uniform(-10, 10)) * Math.PI / 180;
            var halfSpan = _random.Uniform(11, 17) * Math.PI / 180;
            var (inner, outer) = (_random.Uniform(0.92, 0.98), _random.Uniform(1.2, 1.32));
            var ring = new List<Coordinate>();
            const int Steps = 16;
            for (var s = 0; s <= Steps; s++) ring.Add(_form.AtRelativeRadius(mid - halfSpan + (2 * halfSpan * s / Steps), inner));
            for (var s = Steps; s >= 0; s--) ring.Add(_form.AtRelativeRadius(mid - halfSpan + (2 * halfSpan * s / Steps), outer));
            ring.Add(ring[0].Copy());
            var band = _form.Factory.CreatePolygon([.. ring]).Intersection(_form.RoadArea);
            if (band.IsEmpty || band.Area < 100_000) continue;
            var direction = PlaceNames.Direction(mid);
            var zh = $"城{direction.Zh}城乡结合部";
            var en = $"{direction.En} Urban-Rural Fringe";
            if (!used.Add(zh))
            {
                zh += "（二）";
                en += " II";
            }
            Zones.Add(new MetricZone(zh, en, ZoneKind.UrbanRuralFringe, 3, Polygonal(band), "fringe"));
        }
    }

    private void AddMiningAreas()
    {
        var word = _names.Next();
        BilingualName[] names =
        [
            new("西岭采石场矿区", "Xiling Quarry Mining Area"),
            new("北山铁矿矿区", "Beishan Iron-ore Mining Area"),
            new(word.Zh + "煤矿矿区", word.En + " Colliery Mining Area"),
        ];
        var placed = new List<(Coordinate Centre, double Radius)>();
        for (var attempt = 0; attempt < 500 && placed.Count < names.Length; attempt++)
        {
            var centre = _form.AtRelativeRadius(_random.Uniform(115, 170) * Math.PI / 180, _random.Uniform(1.55, 2.1));
            var radius = _random.Uniform(600, 1_000);
            if (placed.Any(p => p.Centre.Distance(centre) < p.Radius + radius + 300)) continue;
            var area = Blob(_form.Factory, centre, radius, _random, 20).Intersection(_form.RoadArea);
            if (area.IsEmpty || area.Area < 400_000) continue;
            var name = names[placed.Count];
            Zones.Add(new MetricZone(name.Zh, name.En, ZoneKind.MiningArea, placed.Count == 1 ? 3 : 2, Polygonal(area), "mining"));
            placed.Add((centre, radius));
        }
    }

    private void AddHotspotAreas()
    {
        void Add(MetricZone? around, double radius, string zh, string en)
        {
            if (around is null) return;
            var centre = around.Area.InteriorPoint.Coordinate;
            var area = Blob(_form.Factory, centre, radius, _random).Intersection(_form.RoadArea);
            if (!area.IsEmpty) Zones.Add(new MetricZone(zh, en, ZoneKind.DisorderHotspotArea, 4, Polygonal(area), "hotspot"));
        }
        var station = Zones.FirstOrDefault(z => z.Tag == "railway_station" && z.Kind == ZoneKind.KeyFacility);
        Add(station, 450, "火车站周边治安乱点", "Railway Station Area Public-Order Hotspot");
        var nightMarket = Zones.FirstOrDefault(z => z.Tag == "night_market");
        if (nightMarket is not null) Add(nightMarket, 350, nightMarket.Name + "周边治安乱点", nightMarket.NameEn + " Area Public-Order Hotspot");
        var village = Zones.Where(z => z.Kind == ZoneKind.UrbanVillage).MaxBy(z => _form.Density(z.Centre));
        if (village is not null) Add(village, 420, village.Name + "周边治安乱点", village.NameEn + " Area Public-Order Hotspot");
        var fringe = Zones.Where(z => z.Kind == ZoneKind.UrbanRuralFringe).MaxBy(z => z.Area.Area);
        if (fringe is not null) Add(fringe, 500, fringe.Name + "治安乱点", fringe.NameEn + " Public-Order Hotspot");
    }

    private Geometry Polygonal(Geometry geometry)
    {
        var polygons = PolygonExtracter.GetPolygons(geometry).Cast<Polygon>().Where(p => p.Area > 1).ToArray();
        return polygons.Length == 1 ? polygons[0] : _form.Factory.CreateMultiPolygon(polygons);
    }
}
