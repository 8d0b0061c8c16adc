using Xunit.Abstractions;

namespace SituationMap.Server.Tests.Security;

/// <summary>
/// Counts the bad-input cases the suite actually tried (hand-written and generated), so the number in README is a
/// measurement, not a configured maximum. Each test adds its own count and prints it with the running total of this
/// test run; the last "bad-input cases" line of a run (dotnet test --logger "console;verbosity=detailed") is the total.
/// </summary>
public static class HostileInputTally
{
    private static int _total;

    public static int Total => Volatile.Read(ref _total);

    /// <summary>Adds a test's count and writes "bad-input cases: {test} tried {n}; {total} so far in this run".</summary>
    public static void Report(ITestOutputHelper output, string test, int tried)
    {
        var total = Interlocked.Add(ref _total, tried);
        output.WriteLine($"bad-input cases: {test} tried {tried}; {total} so far in this run");
    }
}
