using System.Collections.Concurrent;

namespace SituationMap.Server.Infrastructure.Database;

/// <summary>The .sql files that sit next to their feature, embedded under their path ("Tiles/incidents.sql").</summary>
public static class SqlResource
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    public static string Read(string path) => Cache.GetOrAdd(path, p =>
    {
        using var stream = typeof(SqlResource).Assembly.GetManifestResourceStream(p.Replace('\\', '/'))
            ?? throw new InvalidOperationException($"Embedded SQL '{p}' not found.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
