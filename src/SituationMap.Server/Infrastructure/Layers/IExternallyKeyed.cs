namespace SituationMap.Server.Infrastructure.Layers;

/// <summary>
/// A layer whose rows may come from another system: (source, external_id) is unique where external_id is set, so an
/// import or ingest of the same record updates the row instead of duplicating it.
/// </summary>
public interface IExternallyKeyed
{
    string Source { get; set; }

    string? ExternalId { get; set; }
}
