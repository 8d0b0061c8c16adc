using System.Globalization;
using System.Net;
using System.Text.Json;
using SituationMap.Analysis.Hotspots;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Hotspots;

/// <summary>
/// A hand-made city: 3 × 3 districts D{row}{column}, each 0.01° wide and 0.02° tall (about 840 m × 2,200 m), so the two
/// nearest district centres are the other two of the same row, and 24 incidents in one week of January 2026 with known
/// counts and severities per district.
/// </summary>
public sealed class HandMadeCity : ServerFixture
{
    public const double West = 114.88;
    public const double South = 40.78;
    public const double Width = 0.01;
    public const double Height = 0.02;

    /// <summary>Severities of the incidents per district, index row × 3 + column.</summary>
    public static readonly int[][] Severities =
    [
        [4, 4, 3, 3, 2, 1, 1, 1], [3, 2, 2, 1, 1], [1],
        [4, 3, 2, 1], [2, 1], [],
        [3, 3, 3], [], [4],
    ];

    public static readonly DateTimeOffset WeekStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public const string Window = "from=2026-01-05T00:00:00Z&to=2026-01-12T00:00:00Z";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var lon = Enumerable.Range(0, 4).Select(c => West + c * Width).ToArray();
        var lat = Enumerable.Range(0, 4).Select(r => South + r * Height).ToArray();
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                await Database.ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"INSERT INTO districts (code, name, geom) VALUES ('D{r}{c}', 'D{r}{c}', ST_Multi(ST_MakeEnvelope({lon[c]:R}, {lat[r]:R}, {lon[c + 1]:R}, {lat[r + 1]:R}, 4326)))"));
            }
        }
        var client = CreateClient();
        var minute = 0;
        for (var d = 0; d < 9; d++)
        {
            var (r, c) = (d / 3, d % 3);
            for (var k = 0; k < Severities[d].Length; k++)
            {
                // spread around the centre, well inside the district
                var x = lon[c] + Width * (0.3 + 0.05 * (k % 5));
                var y = lat[r] + Height * (0.3 + 0.05 * (k / 5));
                await client.CreateAsync("incidents", Api.Incident(x, y, k % 2 == 0 ? "violent" : "robbery", Severities[d][k], WeekStart.AddHours(10).AddMinutes(minute++)));
            }
        }
    }
}

public sealed class HandMadeCityTests(HandMadeCity city) : IClassFixture<HandMadeCity>
{
    private readonly HttpClient _client = city.CreateClient();
    private const int N = 9;

    private static double[] Counts(Func<int, bool>? admit = null) =>
        HandMadeCity.Severities.Select(s => (double)s.Count(v => admit?.Invoke(v) ?? true)).ToArray();

    private static IEnumerable<int> Queen(int i)
    {
        var (r, c) = (i / 3, i % 3);
        for (var dr = -1; dr <= 1; dr++)
        {
            for (var dc = -1; dc <= 1; dc++)
            {
                if ((dr, dc) != (0, 0) && r + dr is >= 0 and < 3 && c + dc is >= 0 and < 3) yield return (r + dr) * 3 + c + dc;
            }
        }
    }

    /// <summary>The other two districts of the row: the 2 nearest centres.</summary>
    private static IEnumerable<int> SameRow(int i) => Enumerable.Range(i / 3 * 3, 3).Where(j => j != i);

    /// <summary>Horizontally adjacent: the centres within 900 m.</summary>
    private static IEnumerable<int> Beside(int i) => SameRow(i).Where(j => Math.Abs(j - i) == 1);

    /// <summary>
    /// Gi* with binary weights written out as Getis and Ord (1995) / ArcGIS give it, independently of the library:
    /// z = (Σⱼ wᵢⱼxⱼ − x̄ Σⱼ wᵢⱼ) / (S √((n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²)/(n − 1))), j over the neighbours and i itself.
    /// </summary>
    private static double[] GiStarZ(double[] x, Func<int, IEnumerable<int>> neighbours)
    {
        var n = x.Length;
        var mean = x.Average();
        var s = Math.Sqrt(x.Sum(v => v * v) / n - mean * mean);
        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var set = neighbours(i).Append(i).ToList();
            double w = set.Count, lag = set.Sum(j => x[j]);
            z[i] = (lag - mean * w) / (s * Math.Sqrt((n * w - w * w) / (n - 1)));
        }
        return z;
    }

    /// <summary>The listed cells' properties by district code (district grids) or cell number (squares).</summary>
    private async Task<Dictionary<string, JsonElement>> CellsAsync(string url)
    {
        var map = await (await _client.GetAsync(url)).JsonAsync();
        Assert.True(map.ValueKind == JsonValueKind.Object && map.TryGetProperty("features", out _), url + " → " + map);
        var districts = map.GetProperty("grid").GetString() == "districts";
        return map.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties"))
            .ToDictionary(p => districts ? p.GetProperty("district").GetString()! : p.GetProperty("cell").GetInt32().ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>z as the server gives it: null where the statistic is undefined (a neighbourhood of every unit has no variance).</summary>
    private static void AssertZ(double expected, JsonElement cell)
    {
        if (double.IsNaN(expected)) Assert.Equal(JsonValueKind.Null, cell.GetProperty("z").ValueKind);
        else Assert.Equal(expected, cell.GetProperty("z").GetDouble(), 1e-6); // the server rounds to 6 decimals
    }

    private static string Code(int i) => $"D{i / 3}{i % 3}";

    [Fact]
    public async Task SeverityFiltersCountOnlyTheAdmittedLevels()
    {
        async Task<(int Points, double[] Counts)> Run(string filter)
        {
            var map = await (await _client.GetAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=districts{filter}")).JsonAsync();
            var cells = map.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("properties").GetProperty("district").GetString()!, f => f.GetProperty("properties").GetProperty("count").GetInt32());
            return (map.GetProperty("points").GetInt32(), Enumerable.Range(0, N).Select(i => (double)cells.GetValueOrDefault(Code(i))).ToArray());
        }
        var all = await Run("");
        Assert.Equal(24, all.Points);
        Assert.Equal(Counts(), all.Counts);
        var major = await Run("&min_severity=3");
        Assert.Equal(11, major.Points);
        Assert.Equal(Counts(v => v >= 3), major.Counts);
        var listed = await Run("&severity=3,4");
        Assert.Equal(major.Points, listed.Points);
        Assert.Equal(major.Counts, listed.Counts);
        var low = await Run("&severity=1,2&category=violent");
        Assert.Equal(HandMadeCity.Severities.Sum(s => s.Where((v, k) => k % 2 == 0 && v <= 2).Count()), low.Points);
        // both filters: levels listed AND at least the minimum
        Assert.Equal(Counts(v => v == 4), (await Run("&severity=2,4&min_severity=3")).Counts);

        var density = await (await _client.GetAsync($"/api/hotspots/density?{HandMadeCity.Window}&min_severity=3&cell_m=50")).JsonAsync();
        Assert.Equal(11, density.GetProperty("points").GetInt32());
        Assert.Equal(24, (await (await _client.GetAsync($"/api/hotspots/density?{HandMadeCity.Window}&cell_m=50")).JsonAsync()).GetProperty("points").GetInt32());

        // CompStat's "major criminal cases": severity ≥ 3, per district and in total
        var table = await (await _client.GetAsync("/api/hotspots/compstat?days=7&end=2026-01-12T00:00:00Z&min_severity=3")).JsonAsync();
        var rows = table.GetProperty("rows").EnumerateArray().ToList();
        var grand = rows.Single(r => r.GetProperty("district").ValueKind == JsonValueKind.Null && r.GetProperty("category").ValueKind == JsonValueKind.Null);
        Assert.Equal(11, grand.GetProperty("current").GetInt64());
        Assert.Equal(new[] { 3, 4 }, table.GetProperty("severities").EnumerateArray().Select(v => v.GetInt32()));
        var d00 = rows.Single(r => r.GetProperty("district").GetString() == "D00" && r.GetProperty("category").ValueKind == JsonValueKind.Null);
        Assert.Equal(4, d00.GetProperty("current").GetInt64());
        var everything = await (await _client.GetAsync("/api/hotspots/compstat?days=7&end=2026-01-12T00:00:00Z")).JsonAsync();
        Assert.Equal(24, everything.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("district").ValueKind == JsonValueKind.Null && r.GetProperty("category").ValueKind == JsonValueKind.Null).GetProperty("current").GetInt64());
        Assert.Equal(JsonValueKind.Null, everything.GetProperty("severities").ValueKind);
    }

    public static TheoryData<string, string> PolygonWeights => new()
    {
        { "", "contiguity" },                       // the default on districts: queen contiguity
        { "&weights=contiguity", "contiguity" },
        { "&weights=knn&k=2", "knn" },
        { "&weights=distance&band_m=900", "distance" },
    };

    [Theory]
    [MemberData(nameof(PolygonWeights))]
    public async Task GiStarOnDistrictsEqualsTheTextbookFormulaForEachKindOfWeights(string weights, string kind)
    {
        Func<int, IEnumerable<int>> neighbours = kind switch { "knn" => SameRow, "distance" => Beside, _ => Queen };
        var expected = GiStarZ(Counts(), neighbours);
        var cells = await CellsAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=districts&fdr=false{weights}");
        for (var i = 0; i < N; i++)
        {
            if (!cells.TryGetValue(Code(i), out var cell)) continue; // no incidents and not significant: not listed
            AssertZ(expected[i], cell);
        }
        Assert.Equal(Counts().Count(c => c > 0), cells.Values.Count(c => c.GetProperty("count").GetInt32() > 0));
        // the centre's queen neighbourhood is the whole city: no variance, no z; the others have one
        Assert.Equal(kind == "contiguity" ? 1 : 0, expected.Count(double.IsNaN));
    }

    [Fact]
    public async Task RowStandardisedGiStarOnDistrictsEqualsTheLibraryWithIndependentlyBuiltWeights()
    {
        var w = SpatialWeights.FromNeighbours(Enumerable.Range(0, N).Select(i => (IReadOnlyList<int>)Queen(i).ToList()).ToList());
        var expected = GetisOrdGiStar.Compute(Counts(), w, WeightsTransform.RowStandardised);
        var binary = await CellsAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=districts&fdr=false&transform=binary");
        var row = await CellsAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=districts&fdr=false&transform=row");
        var differs = false;
        for (var i = 0; i < N; i++)
        {
            if (!row.TryGetValue(Code(i), out var cell)) continue;
            AssertZ(expected.Z[i], cell);
            if (cell.GetProperty("z").ValueKind == JsonValueKind.Number && binary[Code(i)].GetProperty("z").ValueKind == JsonValueKind.Number)
                differs |= Math.Abs(cell.GetProperty("z").GetDouble() - binary[Code(i)].GetProperty("z").GetDouble()) > 1e-3;
        }
        Assert.True(differs, "row standardisation changes the z-scores of cells with different numbers of neighbours");
    }

    [Fact]
    public async Task GiStarAndLisaCarryTheGlobalStatistics()
    {
        var x = Counts();
        var n = (double)N;
        var neighbours = Enumerable.Range(0, N).Select(i => Queen(i).ToList()).ToList();
        // General G (binary weights): Σᵢ Σⱼ wᵢⱼ xᵢ xⱼ / Σᵢ Σⱼ≠ᵢ xᵢ xⱼ, E[G] = S₀ / (n(n − 1))
        var cross = Enumerable.Range(0, N).Sum(i => neighbours[i].Sum(j => x[i] * x[j]));
        var allPairs = x.Sum() * x.Sum() - x.Sum(v => v * v);
        var s0 = neighbours.Sum(l => l.Count);
        var gi = await (await _client.GetAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=districts")).JsonAsync();
        var g = gi.GetProperty("general_g");
        Assert.Equal(cross / allPairs, g.GetProperty("g").GetDouble(), 1e-6);
        Assert.Equal(s0 / (n * (n - 1)), g.GetProperty("expected_g").GetDouble(), 1e-6);
        Assert.InRange(g.GetProperty("p").GetDouble(), 0, 1);
        Assert.Equal(Math.Sign(cross / allPairs - s0 / (n * (n - 1))), Math.Sign(g.GetProperty("z").GetDouble()));

        // Moran's I, row-standardised: wᵢⱼ = 1/kᵢ, S₀ = n; Var_N from S₁, S₂ (Cliff and Ord)
        var mean = x.Average();
        var z = x.Select(v => v - mean).ToArray();
        var w = (int i, int j) => neighbours[i].Contains(j) ? 1.0 / neighbours[i].Count : 0;
        var numerator = Enumerable.Range(0, N).Sum(i => z[i] * neighbours[i].Sum(j => w(i, j) * z[j]));
        var moranI = numerator / z.Sum(v => v * v); // n / S₀ = 1
        double s1 = 0, s2 = 0;
        for (var i = 0; i < N; i++)
        {
            double rowSum = 0, columnSum = 0;
            for (var j = 0; j < N; j++)
            {
                s1 += 0.5 * Math.Pow(w(i, j) + w(j, i), 2);
                rowSum += w(i, j);
                columnSum += w(j, i);
            }
            s2 += Math.Pow(rowSum + columnSum, 2);
        }
        var expectedI = -1 / (n - 1);
        var varianceN = (n * n * s1 - n * s2 + 3 * n * n) / ((n * n - 1) * n * n) - expectedI * expectedI;
        var lisa = await (await _client.GetAsync($"/api/hotspots/lisa?{HandMadeCity.Window}&grid=districts&permutations=99&seed=3")).JsonAsync();
        var moran = lisa.GetProperty("global_moran");
        Assert.Equal(moranI, moran.GetProperty("i").GetDouble(), 1e-6);
        Assert.Equal(expectedI, moran.GetProperty("expected_i").GetDouble(), 1e-6);
        Assert.Equal((moranI - expectedI) / Math.Sqrt(varianceN), moran.GetProperty("z_normality").GetDouble(), 1e-6);
        Assert.InRange(moran.GetProperty("p_randomisation").GetDouble(), 0, 1);
        Assert.Equal(99, moran.GetProperty("permutations").GetInt32());
        Assert.InRange(moran.GetProperty("pseudo_p").GetDouble(), 0.01, 1);
        Assert.Equal(JsonValueKind.Null, lisa.GetProperty("general_g").ValueKind);
        Assert.Equal(JsonValueKind.Null, gi.GetProperty("global_moran").ValueKind);
    }

    [Fact]
    public async Task OnSquaresLatticeContiguityIsTheQueenDistanceBandAndKnnNeedsFewerNeighboursThanCells()
    {
        var contiguity = await CellsAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=square&cell_m=250&fdr=false&weights=contiguity");
        var band = await CellsAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=square&cell_m=250&fdr=false&weights=distance&band_m=355");
        var map = await (await _client.GetAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=square&cell_m=250&weights=contiguity")).JsonAsync();
        Assert.Equal("queen contiguity, binary", map.GetProperty("parameters").GetProperty("weights").GetString());
        Assert.Equal(JsonValueKind.Null, map.GetProperty("band_m").ValueKind);
        Assert.True(map.GetProperty("cells").GetInt32() > 200, "the 2.5 km × 6.7 km city holds a few hundred 250 m squares");
        Assert.Equal(24, band.Values.Sum(c => c.GetProperty("count").GetInt32()));
        Assert.NotEmpty(band);
        // the squares' centres are 250 m apart (355 m reaches the diagonals): the same neighbours, so the same z-scores
        Assert.Equal(band.Keys.Order(), contiguity.Keys.Order());
        Assert.All(contiguity, c => Assert.Equal(band[c.Key].GetProperty("z").GetDouble(), c.Value.GetProperty("z").GetDouble(), 9));
        var knn = await (await _client.GetAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=square&cell_m=250&weights=knn&k=8&transform=row")).JsonAsync();
        Assert.Equal("8 nearest neighbours, row-standardised", knn.GetProperty("parameters").GetProperty("weights").GetString());
        Assert.Contains(knn.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("z").ValueKind == JsonValueKind.Number);

        // k must leave someone out: 9 districts admit at most k = 8
        var tooMany = await _client.GetAsync($"/api/hotspots/gistar?{HandMadeCity.Window}&grid=districts&weights=knn&k=9");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains(Api.Errors(await tooMany.JsonAsync()), e => e.StartsWith("?k: ", StringComparison.Ordinal));
    }
}
