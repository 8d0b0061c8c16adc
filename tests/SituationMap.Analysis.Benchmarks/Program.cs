using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Short runs (1 launch, 3 warm-ups, 3 iterations): the benchmark machine is shared. Pass BenchmarkDotNet's own options after --.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun)
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
