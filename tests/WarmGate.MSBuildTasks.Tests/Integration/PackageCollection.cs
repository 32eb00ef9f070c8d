namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>
/// The integration test classes share one <see cref="PackageFixture"/>: the package is packed once per run, and
/// never by two classes at once (two packs would build the same projects into the same folders concurrently).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "WarmGate.MSBuildTasks package";
}
