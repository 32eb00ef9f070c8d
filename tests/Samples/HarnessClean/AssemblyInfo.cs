using WarmGate.Harness;
using WarmGate.Samples;

[assembly: WarmGateTestFramework]
[assembly: WarmGateAssemblyFixture(typeof(SampleFixture))]
