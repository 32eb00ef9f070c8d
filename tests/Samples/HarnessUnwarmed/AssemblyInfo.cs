using WarmGate.Harness;
using Xunit;

[assembly: WarmGateTestFramework]
[assembly: WarmGateAssemblyFixture(typeof(Mamba2Fixture))]
// The tests launch SSD kernels of their own on the model's accelerator, and the CPU accelerator
// runs one launch at a time (the runtime serialises only its own calls): one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
