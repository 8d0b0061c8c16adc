using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Infrastructure.Layers;

/// <summary>
/// What makes one operational layer different from the others; <see cref="LayerEndpoints{TLayer,TEntity,TWrite,TProps,TFilter}"/>
/// turns it into the REST API (list with bbox/filters/paging, get, create, replace with version check, delete) and
/// <see cref="Live.LiveEvents"/> into live events, so every layer behaves the same way.
/// </summary>
public interface IFeatureLayer<TEntity, TWrite, TProps>
    where TEntity : class, ILayerEntity, new()
    where TWrite : class
{
    /// <summary>Table and change-log layer name, e.g. "patrol_routes".</summary>
    static abstract string Name { get; }

    /// <summary>URL segment, e.g. "patrol-routes".</summary>
    static abstract string Route { get; }

    /// <summary>CLR name of the geometry property (column geom), e.g. nameof(Incident.Location).</summary>
    static abstract string GeometryProperty { get; }

    static abstract GeometryRule GeometryRule { get; }

    /// <summary>CLR name of the property holding the feature's district code (district scoping), e.g. nameof(Incident.District).</summary>
    static abstract string DistrictProperty { get; }

    /// <summary>The permission needed to create, replace or delete features of this layer.</summary>
    static abstract string WritePermission { get; }

    static abstract NetTopologySuite.Geometries.Geometry? GeometryOf(TEntity entity);

    /// <summary>Rules on the properties; <paramref name="existing"/> is the stored row for replacements (state transitions).</summary>
    static abstract void Validate(TWrite write, TEntity? existing, ProblemCollector problems);

    /// <summary>A replacement that contradicts the stored state (an illegal status transition): a 409 problem, or null.</summary>
    static virtual IResult? Conflict(TWrite write, TEntity existing) => null;

    static abstract void Apply(TWrite write, NetTopologySuite.Geometries.Geometry geometry, TEntity entity);

    static abstract TProps ToProperties(TEntity entity);

    /// <summary>Checks that need the database (referenced district exists) and derived values (district from location).</summary>
    static virtual Task PrepareAsync(SituationMapDb db, TEntity entity, ProblemCollector problems, CancellationToken ct) =>
        Task.CompletedTask;
}

/// <summary>A layer's list filter, bound from the query string ([AsParameters]); values are validated, never trusted.</summary>
public interface IListFilter<TEntity>
{
    void Validate(ProblemCollector problems);

    IQueryable<TEntity> Apply(IQueryable<TEntity> query);
}

/// <summary>For layers without filters beyond bbox and paging.</summary>
public sealed record NoFilter<TEntity> : IListFilter<TEntity>
{
    public void Validate(ProblemCollector problems)
    {
    }

    public IQueryable<TEntity> Apply(IQueryable<TEntity> query) => query;
}

public static class LayerFeatures
{
    /// <summary>The one mapping from a stored row to the GeoJSON Feature served by REST and by live events.</summary>
    public static Feature<TProps> ToFeature<TLayer, TEntity, TWrite, TProps>(TEntity entity)
        where TLayer : IFeatureLayer<TEntity, TWrite, TProps>
        where TEntity : class, ILayerEntity, new()
        where TWrite : class =>
        new(entity.Id, TLayer.GeometryOf(entity), TLayer.ToProperties(entity));
}
