using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using NetTopologySuite.Geometries;

namespace SituationMap.Server.Live;

/// <summary>
/// A change-log row read once by the server and shared by every connection: the payload sent to clients (built and
/// serialised once) plus what the filters need (layer, bounding box, districts).
/// </summary>
public sealed record ChangeEvent(LiveChange Change, Envelope? Bounds, string? OldDistrict, string? NewDistrict)
{
    /// <summary>The hub message, serialised at most once per protocol however many connections receive it.</summary>
    public SerializedHubMessage Message { get; } =
        new(new InvocationMessage(LiveEvents.MethodFor(Change), [Change]));

    private SerializedHubMessage? _removal;

    /// <summary>What a district-scoped client receives when the feature left its districts: the layer's deletion
    /// (the feature is gone from its point of view; nothing about the new place is sent).</summary>
    public SerializedHubMessage RemovalMessage => _removal ??= new(new InvocationMessage(
        LiveEvents.MethodFor(Change with { Kind = "deleted" }), [Change with { Kind = "deleted", Feature = null }]));

    public long Seq => Change.Seq;

    public string Layer => Change.Layer;
}
