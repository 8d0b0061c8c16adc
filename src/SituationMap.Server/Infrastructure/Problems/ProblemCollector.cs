namespace SituationMap.Server.Infrastructure.Problems;

/// <summary>
/// Collects "what and where" validation problems: a JSON Pointer (RFC 6901) into the request ("/geometry/coordinates/0/3",
/// "/properties/severity", "?bbox" for a query parameter) and a sentence saying what is wrong.
/// </summary>
public sealed class ProblemCollector
{
    /// <summary>Stop collecting after this many problems: enough to fix a request, bounded for hostile input.</summary>
    public const int MaxProblems = 50;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public bool Any => Count > 0;

    public bool IsFull => Count >= MaxProblems;

    public void Add(string pointer, string message)
    {
        if (IsFull) return;
        if (!_errors.TryGetValue(pointer, out var list)) _errors[pointer] = list = [];
        list.Add(message);
        Count++;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    /// <summary>400 application/problem+json listing every problem; nothing has been written.</summary>
    public IResult ToResult(string title = "The request is invalid.") => ApiProblems.Validation(ToDictionary(), title);

    public override string ToString() => string.Join("; ", _errors.SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}")));
}
