using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning;

public class KernelHashTests
{
    private static class KernelA
    {
        public static int Twice(int x) => x * 2;
    }

    private static class KernelB
    {
        public static int Twice(int x) => x * 3;
    }

    [Fact]
    public void The_hash_is_stable_for_the_same_code_and_space()
    {
        KernelHash.Compute([typeof(KernelA)], ["a", "b"])
            .Should().Be(KernelHash.Compute([typeof(KernelA)], ["a", "b"]))
            .And.HaveLength(16);
    }

    [Fact]
    public void The_hash_changes_with_the_code_even_when_signatures_match()
    {
        KernelHash.Compute([typeof(KernelA)], ["a"]).Should().NotBe(KernelHash.Compute([typeof(KernelB)], ["a"]));
    }

    [Fact]
    public void The_hash_changes_with_the_configuration_space()
    {
        KernelHash.Compute([typeof(KernelA)], ["a"]).Should().NotBe(KernelHash.Compute([typeof(KernelA)], ["a", "b"]));
    }
}
