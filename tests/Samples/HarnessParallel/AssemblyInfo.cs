using WarmGate.Harness;
using Xunit;

[assembly: WarmGateTestFramework]
[assembly: WarmGateAssemblyFixture(typeof(Mamba2Fixture))]
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
