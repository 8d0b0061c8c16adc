using SituationMap.Benchmarks;

// Load benchmarks. Usage: SituationMap.Benchmarks <tiles|viewport|fanout|fanout-full|all> --server URL --db CONNECTION [--out DIR]
// scripts/bench.sh loads 1,000,000 incidents, starts a server and runs all of them.
var options = BenchOptions.Parse(args);
var results = new List<BenchResult>();
if (options.Runs("tiles")) results.AddRange(await TileThroughput.RunAsync(options));
if (options.Runs("viewport")) results.AddRange(await ViewportQuery.RunAsync(options));
if (options.Runs("fanout")) results.AddRange(await LiveFanOut.RunAsync(options));
if (options.Runs("fanout-full")) results.AddRange(await LiveFanOut.RunAsync(options, fullClients: true));
if (options.Runs("web")) results.AddRange(await DashboardBenchmark.RunAsync(options));
BenchReport.Write(options, results);
return 0;
