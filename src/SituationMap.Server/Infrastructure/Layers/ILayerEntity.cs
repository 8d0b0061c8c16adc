namespace SituationMap.Server.Infrastructure.Layers;

/// <summary>
/// A row of an operational layer: a geometry (column <c>geom</c>, SRID 4326) with an id and an optimistic-concurrency
/// version. The database sets <c>version</c>, <c>created_at</c> and <c>updated_at</c> itself (trigger
/// <c>sm_stamp_version</c>), so writes made directly in SQL are versioned too.
/// </summary>
public interface ILayerEntity
{
    long Id { get; }

    int Version { get; set; }

    DateTimeOffset CreatedAt { get; }

    DateTimeOffset UpdatedAt { get; }
}
