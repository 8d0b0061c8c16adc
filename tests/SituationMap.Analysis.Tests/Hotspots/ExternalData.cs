namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// The real public data sets in ../shared/geodata-external (seen from the repository root), read in place.
/// A fresh clone has no such folder: tests that need one call <see cref="Locate"/> and, when it is missing, write
/// the reason to the test output and return without asserting (xunit 2 has no dynamic skip).
/// SITUATIONMAP_GEODATA_EXTERNAL overrides the location.
/// </summary>
internal static class ExternalData
{
    public const string EnvironmentVariable = "SITUATIONMAP_GEODATA_EXTERNAL";

    /// <summary>The folder's path, or null and the reason it is not there.</summary>
    public static (string? Path, string Reason) Locate(params string[] relative)
    {
        var root = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(root))
        {
            var repository = FindRepositoryRoot();
            if (repository is null) return (null, "SKIPPED: the repository root (SituationMap.sln) was not found above the test binaries.");
            root = Path.GetFullPath(Path.Combine(repository, "..", "shared", "geodata-external"));
        }
        var path = Path.Combine([root, .. relative]);
        return Directory.Exists(path)
            ? (path, "")
            : (null, $"SKIPPED: external test data {path} is absent (set {EnvironmentVariable} to the geodata-external folder to run this test).");
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SituationMap.sln"))) return dir.FullName;
        }
        return null;
    }
}
