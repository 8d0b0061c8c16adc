using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using SituationMap.Analysis.Benchmarks;

// routing-pgrouting --db CONNECTION [--pairs N] [--seed N]: single-pair travel times against pgRouting (PgRoutingComparison;
// scripts/bench.sh routing-pgrouting). Anything else goes to BenchmarkDotNet.
if (args is [PgRoutingComparison.Mode, .. var rest]) return await PgRoutingComparison.RunAsync(rest);

// Short runs (1 launch, 3 warm-ups, 3 iterations): the benchmark machine is shared. Pass BenchmarkDotNet's own options after --.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun)
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
