using Microsoft.Net.Http.Headers;

namespace SituationMap.Server.Infrastructure.Layers;

/// <summary>Optimistic concurrency over HTTP: the ETag of a feature is its version ("7"); If-Match carries it back.</summary>
public static class Preconditions
{
    public static string ETagFor(int version) => $"\"{version}\"";

    /// <summary>The version named by If-Match, null when absent, or -1 when it names no version ("*" or garbage).</summary>
    public static int? IfMatchVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header)) return null;
        if (EntityTagHeaderValue.TryParse(header.Split(',')[0].Trim(), out var tag)
            && int.TryParse(tag.Tag.AsSpan().Trim('"'), out var v))
        {
            return v;
        }
        return -1;
    }
}
