using System.Reflection;
using System.Text.Json;
using NetTopologySuite.Geometries;
using SituationMap.Server.Accounts;
using SituationMap.Server.Cameras;
using SituationMap.Server.Districts;
using SituationMap.Server.Incidents;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Zones;

namespace SituationMap.Server.Interop.Imports;

/// <summary>A layer rows can be imported into: the layer's own binding, rules and mapping, applied row by row.</summary>
public interface IImportTarget
{
    string Layer { get; }

    Type WriteType { get; }

    Type EntityType { get; }

    GeometryRule GeometryRule { get; }

    /// <summary>The permission needed to import into the layer: the layer's write permission.</summary>
    string WritePermission { get; }

    /// <summary>
    /// The row as a new entity ready to store, or null with problems keyed by field: the properties bound to the write
    /// contract and validated by the layer's rules (exactly as POST /api/{layer} does), the geometry applied, the
    /// district resolved like <see cref="DistrictLookup"/> and checked against the account's scope.
    /// </summary>
    IExternallyKeyed? Build(JsonElement properties, Geometry wgs84, string source, string? externalId, DistrictIndex districts, UserScope scope, ProblemCollector problems);
}

public static class ImportTargets
{
    public static readonly IReadOnlyList<IImportTarget> All =
    [
        new ImportTarget<IncidentLayer, Incident, IncidentWrite, IncidentProperties>(),
        new ImportTarget<CameraLayer, Camera, CameraWrite, CameraProperties>(),
        new ImportTarget<ZoneLayer, Zone, ZoneWrite, ZoneProperties>(),
    ];

    public static IImportTarget? Find(string? layer) => All.FirstOrDefault(t => t.Layer == layer);

    public static string Names => string.Join(", ", All.Select(t => t.Layer));
}

public sealed class ImportTarget<TLayer, TEntity, TWrite, TProps> : IImportTarget
    where TLayer : IFeatureLayer<TEntity, TWrite, TProps>
    where TEntity : class, ILayerEntity, IExternallyKeyed, new()
    where TWrite : class
{
    private static readonly PropertyInfo District = typeof(TEntity).GetProperty(TLayer.DistrictProperty)!;

    public string Layer => TLayer.Name;

    public Type WriteType => typeof(TWrite);

    public Type EntityType => typeof(TEntity);

    public GeometryRule GeometryRule => TLayer.GeometryRule;

    public string WritePermission => TLayer.WritePermission;

    public IExternallyKeyed? Build(JsonElement properties, Geometry wgs84, string source, string? externalId, DistrictIndex districts, UserScope scope, ProblemCollector problems)
    {
        var write = FeatureReader.BindObject<TWrite>(properties, "", problems);
        if (write is null) return null;
        TLayer.Validate(write, null, problems);
        if (problems.Any) return null;
        var entity = new TEntity();
        TLayer.Apply(write, wgs84, entity);
        entity.Source = source;
        entity.ExternalId = externalId;
        var given = (string?)District.GetValue(entity);
        var district = districts.Containing(wgs84) ?? given;
        if (district is not null && district == given && districts.HasDistricts && !districts.Exists(district))
        {
            problems.Add(PropertyRules.At("district"), $"there is no district with code '{district}'.");
            return null;
        }
        District.SetValue(entity, district);
        if (!scope.Allows(district))
        {
            problems.Add(PropertyRules.At("district"), $"the feature lies in district {district ?? "(none)"}, outside your districts ({string.Join(", ", scope.DistrictArray!)}).");
            return null;
        }
        return entity;
    }
}
