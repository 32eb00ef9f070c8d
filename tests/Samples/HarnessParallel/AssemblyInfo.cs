using WarmGate.Harness;
using WarmGate.Samples;
using Xunit;

[assembly: WarmGateTestFramework]
[assembly: WarmGateAssemblyFixture(typeof(SampleFixture))]
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
