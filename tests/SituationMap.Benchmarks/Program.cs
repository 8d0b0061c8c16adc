using SituationMap.Benchmarks;

// Load benchmarks. Usage: SituationMap.Benchmarks <tiles|viewport|fanout|fanout-full|web|coverage-overlay|coverage-server|dispatch-server|ogc-paging|cluster|all> --server URL --db CONNECTION [--out DIR]
// scripts/bench.sh loads 1,000,000 incidents, starts a server and runs all of them. coverage-overlay needs no server: it
// compares the coverage report's union/overlay with PostGIS in its own scratch database (host and credentials from --db).
var options = BenchOptions.Parse(args);
if (options.Which == "cluster")
{
    // scripts/bench.sh cluster: against a cluster's front (scripts/cluster.sh), its own report artifacts/bench/cluster.md
    await ClusterLoad.RunAsync(options, args);
    return 0;
}
var results = new List<BenchResult>();
if (options.Runs("tiles")) results.AddRange(await TileThroughput.RunAsync(options));
if (options.Runs("viewport")) results.AddRange(await ViewportQuery.RunAsync(options));
if (options.Runs("fanout")) results.AddRange(await LiveFanOut.RunAsync(options));
if (options.Runs("fanout-full")) results.AddRange(await LiveFanOut.RunAsync(options, fullClients: true));
if (options.Runs("web")) results.AddRange(await DashboardBenchmark.RunAsync(options));
if (options.Runs("coverage-overlay")) results.AddRange(await CoverageOverlayComparison.RunAsync(options));
if (options.Runs("coverage-server")) results.AddRange(await CoverageServerBenchmark.RunAsync(options));
if (options.Runs("dispatch-server")) results.AddRange(await DispatchServerBenchmark.RunAsync(options));
if (options.Runs("ogc-paging")) results.AddRange(await OgcPagingBenchmark.RunAsync(options));
// the modes run by name (not part of "all") merge their rows into the report of the other modes instead of replacing it
BenchReport.Write(options, results, merge: options.Which is "coverage-overlay" or "coverage-server" or "dispatch-server" or "ogc-paging");
return 0;
