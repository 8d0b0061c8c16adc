using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Union;

namespace SituationMap.DemoCity;

/// <summary>A district in metres, with the police stations that own its cameras and community patrols.</summary>
internal sealed record MetricDistrict(string Code, string Name, string NameEn, string ShortName, MultiPolygon Area)
{
    public List<PoliceStation> Stations { get; } = [];

    /// <summary>The district's patrol brigade (owner of level-2 routes).</summary>
    public string PatrolBrigade => ShortName + "分局巡警大队";
}

/// <summary>A police station; <see cref="Word"/> is its short name ("站前" for 北山分局站前派出所).</summary>
internal sealed record PoliceStation(string Name, string Word, Coordinate Location);

/// <summary>
/// Districts tile the city: the blocks of the collector grid (lines of tier ≤ 1, about 750 m apart) are given to the
/// nearest district seed (a Voronoi diagram sampled on the street grid, so boundaries follow streets as real ones
/// do), merged per district and clipped to the city boundary. Cells share exact lattice vertices, so districts meet
/// without gaps or overlaps.
/// </summary>
internal sealed class DistrictPlan
{
    /// <summary>Owner of the level-1 (city) patrol routes.</summary>
    public const string CityPatrolDetachment = "市公安局巡特警支队";

    private readonly (Envelope Envelope, IPointOnGeometryLocator Locator)[] _locators;

    private DistrictPlan(List<MetricDistrict> districts)
    {
        Districts = districts;
        _locators = districts.Select(d => (d.Area.EnvelopeInternal, (IPointOnGeometryLocator)new IndexedPointInAreaLocator(d.Area))).ToArray();
    }

    public IReadOnlyList<MetricDistrict> Districts { get; }

    public static DistrictPlan Build(UrbanForm form, StreetGrid grid, Random random)
    {
        var seeds = PlaceNames.Districts.Select(d =>
        {
            if (d.Angle is not { } angle)
            {
                return new Coordinate(form.Centre.X + random.Uniform(-400, 400), form.Centre.Y + random.Uniform(-400, 400));
            }
            var a = (angle + random.Uniform(-12, 12)) * Math.PI / 180;
            var distance = random.Uniform(6_800, 8_200);
            return new Coordinate(form.Centre.X + (distance * Math.Cos(a)), form.Centre.Y + (distance * Math.Sin(a)));
        }).ToArray();

        var columns = grid.ColumnLines.Where(l => l.Tier <= 1).Select(l => l.Index).ToArray();
        var rows = grid.RowLines.Where(l => l.Tier <= 1).Select(l => l.Index).ToArray();
        var boundary = PreparedGeometryFactory.Prepare(form.Boundary);
        var cells = seeds.Select(_ => new List<Geometry>()).ToArray();
        for (var a = 0; a + 1 < columns.Length; a++)
        {
            for (var b = 0; b + 1 < rows.Length; b++)
            {
                var cell = form.Factory.CreatePolygon(grid.Perimeter(columns[a], rows[b], columns[a + 1], rows[b + 1]));
                if (!boundary.Intersects(cell)) continue;
                var centre = cell.Centroid.Coordinate;
                var nearest = 0;
                for (var s = 1; s < seeds.Length; s++)
                {
                    if (seeds[s].Distance(centre) < seeds[nearest].Distance(centre)) nearest = s;
                }
                cells[nearest].Add(cell);
            }
        }

        var districts = new List<MetricDistrict>();
        for (var d = 0; d < seeds.Length; d++)
        {
            if (cells[d].Count == 0) throw new InvalidOperationException($"District {PlaceNames.Districts[d].Code} received no blocks.");
            var merged = UnaryUnionOp.Union(cells[d]).Intersection(form.Boundary);
            var polygons = PolygonExtracter.GetPolygons(merged).Cast<Polygon>().Where(p => p.Area > 1.0).ToArray();
            var (code, zh, en, shortName, _) = PlaceNames.Districts[d];
            districts.Add(new MetricDistrict(code, zh, en, shortName, form.Factory.CreateMultiPolygon(polygons)));
        }
        var plan = new DistrictPlan(districts);
        plan.PlaceStations(form, grid, random);
        return plan;
    }

    /// <summary>Index of the district containing <paramref name="c"/> (boundary included), or -1.</summary>
    public int IndexAt(Coordinate c, int hint = -1)
    {
        if (hint >= 0 && Inside(hint, c)) return hint;
        for (var d = 0; d < _locators.Length; d++)
        {
            if (d != hint && Inside(d, c)) return d;
        }
        return -1;
    }

    public MetricDistrict? At(Coordinate c) => IndexAt(c) is var d and >= 0 ? Districts[d] : null;

    /// <summary>The station of the district containing <paramref name="c"/> nearest to it.</summary>
    public PoliceStation NearestStation(Coordinate c)
    {
        var district = At(c) ?? Districts.MinBy(d => d.Area.Distance(Districts[0].Area.Factory.CreatePoint(c)))!;
        return district.Stations.MinBy(s => s.Location.Distance(c))!;
    }

    private static PoliceStation Station(MetricDistrict district, BilingualName word, Coordinate location) =>
        new($"{district.ShortName}分局{word.Zh}派出所", word.Zh, location);

    private bool Inside(int d, Coordinate c) => _locators[d].Envelope.Contains(c) && _locators[d].Locator.Locate(c) != Location.Exterior;

    private void PlaceStations(UrbanForm form, StreetGrid grid, Random random)
    {
        var words = PlaceNames.StationWords.ToList();
        random.Shuffle(words);
        var nextWord = 0;
        var cellsByDistrict = Districts.Select(_ => new List<(Coordinate Centre, double Weight)>()).ToArray();
        for (var i = 0; i + 1 < grid.ColumnCount; i++)
        {
            for (var j = 0; j + 1 < grid.RowCount; j++)
            {
                var centre = grid.CellCentre(i, j);
                if (!form.InRoadArea(centre)) continue;
                var d = IndexAt(centre);
                if (d >= 0) cellsByDistrict[d].Add((centre, Math.Pow(form.Density(centre), 2)));
            }
        }
        for (var d = 0; d < Districts.Count; d++)
        {
            var district = Districts[d];
            var candidates = cellsByDistrict[d];
            var sampler = new WeightedSampler(candidates.Select(c => c.Weight).ToArray());
            var wanted = 3 + random.Next(3);
            for (var attempt = 0; attempt < 500 && district.Stations.Count < wanted; attempt++)
            {
                var location = candidates[sampler.Sample(random)].Centre;
                if (district.Stations.Any(s => s.Location.Distance(location) < 1_500)) continue;
                district.Stations.Add(Station(district, words[nextWord++ % words.Count], location));
            }
            if (district.Stations.Count == 0)
            {
                district.Stations.Add(Station(district, words[nextWord++ % words.Count], district.Area.InteriorPoint.Coordinate));
            }
        }
    }
}
