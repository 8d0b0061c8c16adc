using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;

namespace SituationMap.DemoCity;

/// <summary>
/// The shape of the synthetic city in metres of UTM zone 50N: an irregular city boundary of about 24 km × 20 km
/// centred on 114.9°E 40.8°N, a built-up outline inside it, and a population-density surface (1 in the old town,
/// about 0.35 at the built-up edge, near 0 in the countryside) with a secondary centre in the south-east new district.
/// Angles are mathematical (radians, 0 = east, counter-clockwise); headings elsewhere are compass headings.
/// </summary>
internal sealed class UrbanForm
{
    public const double CentreLongitude = 114.9;
    public const double CentreLatitude = 40.8;

    /// <summary>Half-extents of the city boundary ellipse before the irregular harmonics.</summary>
    public const double CityRadiusEast = 12_000;
    public const double CityRadiusNorth = 10_000;

    private const double BuiltUpRadiusEast = 5_200;
    private const double BuiltUpRadiusNorth = 6_200;

    private readonly Harmonics _builtUpShape;
    private readonly IPointOnGeometryLocator _roadAreaLocator;

    private UrbanForm(MetricProjection projection, Coordinate centre, Polygon boundary, Harmonics builtUpShape, Coordinate subCentre, double subCentreRadius)
    {
        Projection = projection;
        Centre = centre;
        Boundary = boundary;
        _builtUpShape = builtUpShape;
        SubCentre = subCentre;
        SubCentreRadius = subCentreRadius;
        RoadArea = (Polygon)boundary.Buffer(-40);
        _roadAreaLocator = new IndexedPointInAreaLocator(RoadArea);
    }

    public MetricProjection Projection { get; }

    public GeometryFactory Factory => Projection.Factory;

    /// <summary>The old-town centre (the projection of 114.9°E 40.8°N).</summary>
    public Coordinate Centre { get; }

    public Polygon Boundary { get; }

    /// <summary>The boundary shrunk by 40 m: roads, zones and cameras stay inside it so they stay inside a district
    /// after rounding to 7 decimals of a degree.</summary>
    public Polygon RoadArea { get; }

    /// <summary>Centre of the south-east new district (a secondary density peak).</summary>
    public Coordinate SubCentre { get; }

    public double SubCentreRadius { get; }

    public static UrbanForm Create(int seed)
    {
        var random = RandomStreams.For(seed, RandomStreams.UrbanForm);
        var projection = MetricProjection.ForLocation(CentreLongitude, CentreLatitude);
        var centre = projection.ToMetric(CentreLongitude, CentreLatitude);

        var cityShape = Harmonics.Create(random, 2, 5, 0.015, 0.05);
        var ring = new Coordinate[121];
        for (var k = 0; k < 120; k++)
        {
            var angle = k * 3.0 * Math.PI / 180.0;
            var radius = EllipseRadius(angle, CityRadiusEast, CityRadiusNorth)
                * Math.Clamp(cityShape.Factor(angle), 0.86, 1.10)
                * (1 + random.Uniform(-0.012, 0.012));
            ring[k] = new Coordinate(centre.X + (radius * Math.Cos(angle)), centre.Y + (radius * Math.Sin(angle)));
        }
        ring[120] = ring[0].Copy();
        var boundary = projection.Factory.CreatePolygon(ring);

        var builtUpShape = Harmonics.Create(random, 2, 6, 0.03, 0.08);
        var subAngle = random.Uniform(-50, -30) * Math.PI / 180.0;
        var subDistance = random.Uniform(6_000, 7_000);
        var subCentre = new Coordinate(centre.X + (subDistance * Math.Cos(subAngle)), centre.Y + (subDistance * Math.Sin(subAngle)));
        return new UrbanForm(projection, centre, boundary, builtUpShape, subCentre, random.Uniform(1_700, 2_100));
    }

    /// <summary>Radius of the built-up outline in the given direction (metres).</summary>
    public double BuiltUpRadius(double angle) => EllipseRadius(angle, BuiltUpRadiusEast, BuiltUpRadiusNorth) * _builtUpShape.Factor(angle);

    /// <summary>Distance from the centre relative to the built-up outline: 0 at the centre, 1 on the outline.</summary>
    public double RelativeRadius(double x, double y)
    {
        var dx = x - Centre.X;
        var dy = y - Centre.Y;
        return Math.Sqrt((dx * dx) + (dy * dy)) / BuiltUpRadius(Math.Atan2(dy, dx));
    }

    /// <summary>The point at relative radius <paramref name="relativeRadius"/> in direction <paramref name="angle"/>.</summary>
    public Coordinate AtRelativeRadius(double angle, double relativeRadius)
    {
        var radius = relativeRadius * BuiltUpRadius(angle);
        return new Coordinate(Centre.X + (radius * Math.Cos(angle)), Centre.Y + (radius * Math.Sin(angle)));
    }

    /// <summary>Relative population density: about 1.35 at the old-town centre, 0.35 at the built-up edge, 0.8 at the
    /// new-district centre, a 0.01 floor in the countryside.</summary>
    public double Density(double x, double y)
    {
        var dx = x - Centre.X;
        var dy = y - Centre.Y;
        var r = Math.Sqrt((dx * dx) + (dy * dy));
        var s = r / BuiltUpRadius(Math.Atan2(dy, dx));
        var core = Math.Exp(-1.05 * s * s) + (0.35 * Math.Exp(-(r / 1_600) * (r / 1_600)));
        var sx = (x - SubCentre.X) / SubCentreRadius;
        var sy = (y - SubCentre.Y) / SubCentreRadius;
        var sub = 0.8 * Math.Exp(-1.05 * ((sx * sx) + (sy * sy)));
        return Math.Max(0.01, Math.Max(core, sub));
    }

    public double Density(Coordinate c) => Density(c.X, c.Y);

    public bool InRoadArea(Coordinate c) => _roadAreaLocator.Locate(c) == Location.Interior;

    private static double EllipseRadius(double angle, double a, double b)
    {
        var c = Math.Cos(angle) / a;
        var s = Math.Sin(angle) / b;
        return 1.0 / Math.Sqrt((c * c) + (s * s));
    }
}

/// <summary>A smooth periodic wobble 1 + Σ a_k cos(kθ + φ_k) used to make outlines irregular.</summary>
internal sealed class Harmonics
{
    private readonly int _first;
    private readonly double[] _amplitudes;
    private readonly double[] _phases;

    private Harmonics(int first, double[] amplitudes, double[] phases)
    {
        _first = first;
        _amplitudes = amplitudes;
        _phases = phases;
    }

    public static Harmonics Create(Random random, int first, int last, double minAmplitude, double maxAmplitude)
    {
        var n = last - first + 1;
        var amplitudes = new double[n];
        var phases = new double[n];
        for (var k = 0; k < n; k++)
        {
            amplitudes[k] = random.Uniform(minAmplitude, maxAmplitude);
            phases[k] = random.Uniform(0, 2 * Math.PI);
        }
        return new Harmonics(first, amplitudes, phases);
    }

    public double Factor(double angle)
    {
        var f = 1.0;
        for (var k = 0; k < _amplitudes.Length; k++) f += _amplitudes[k] * Math.Cos(((k + _first) * angle) + _phases[k]);
        return f;
    }
}
