using WarmGate.Harness;

[assembly: WarmGateTestFramework]
[assembly: WarmGateAssemblyFixture(typeof(Mamba2Fixture))]
