namespace SituationMap.Testing;

/// <summary>
/// The shared real-world data (../shared/geodata-external next to the repository, or SITUATIONMAP_GEODATA_EXTERNAL),
/// read in place and never copied into the repository. Tests that need it skip, saying so, when it is absent.
/// </summary>
public static class GeoDataExternal
{
    public const string EnvironmentVariable = "SITUATIONMAP_GEODATA_EXTERNAL";

    public static string Root => Environment.GetEnvironmentVariable(EnvironmentVariable)
        ?? Path.GetFullPath(Path.Combine(TestDatabase.RepoRoot(), "..", "shared", "geodata-external"));

    /// <summary>The full path of a file or folder under the root, or null (with a SKIPPED line) when it is absent.</summary>
    public static string? Find(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        if (File.Exists(path) || Directory.Exists(path)) return path;
        Console.WriteLine($"SKIPPED: {path} is absent (set {EnvironmentVariable} to the geodata-external folder to run this test).");
        return null;
    }
}
