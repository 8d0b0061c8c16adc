using NetTopologySuite.Geometries;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Zones;
using static SituationMap.Server.Infrastructure.Layers.PropertyRules;

namespace SituationMap.Server.Districts;

public sealed record DistrictWrite(string? Code, string? Name, string? NameEn, int? Version) : IVersionedWrite;

public sealed record DistrictProperties(string Code, string Name, string? NameEn, double AreaM2, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>?from, ?to (updated_at: districts last changed in the window, e.g. boundary revisions).</summary>
public sealed record DistrictFilter(string? From = null, string? To = null) : IListFilter<District>
{
    private TimeWindow _updated;

    public void Validate(ProblemCollector problems) => _updated = FilterValues.TimeWindow(From, To, problems);

    public IQueryable<District> Apply(IQueryable<District> query) => _updated.Apply(query, d => (DateTimeOffset?)d.UpdatedAt);
}

public sealed class DistrictLayer : IFeatureLayer<District, DistrictWrite, DistrictProperties>
{
    public static string Name => "districts";

    public static string Route => "districts";

    public static string GeometryProperty => nameof(District.Area);

    public static GeometryRule GeometryRule => GeometryRule.Areas;

    public static string DistrictProperty => nameof(District.Code);

    public static string WritePermission => Permissions.DistrictsWrite;

    public static Geometry? GeometryOf(District e) => e.Area;

    public static void Validate(DistrictWrite w, District? existing, ProblemCollector problems)
    {
        Required(w.Code, "code", problems);
        Code(w.Code, "code", 32, problems);
        Required(w.Name, "name", problems);
        Text(w.Name, "name", 200, problems);
        Text(w.NameEn, "name_en", 200, problems);
    }

    public static void Apply(DistrictWrite w, Geometry geometry, District e)
    {
        e.Area = (MultiPolygon)geometry;
        e.Code = w.Code!;
        e.Name = w.Name!;
        e.NameEn = w.NameEn;
    }

    public static DistrictProperties ToProperties(District e) =>
        new(e.Code, e.Name, e.NameEn, Math.Round(ZoneLayer.AreaM2(e.Area), 1), e.Version, e.CreatedAt, e.UpdatedAt);
}

public static class DistrictsApi
{
    public static RouteGroupBuilder MapDistrictsApi(this IEndpointRouteBuilder app) =>
        LayerEndpoints<DistrictLayer, District, DistrictWrite, DistrictProperties, DistrictFilter>.Map(app, "Districts");
}
