using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Reference;

namespace WarmGate.Kernels.Tests.Model;

/// <summary>After warmup, requests of warmed shapes reuse device buffers instead of allocating them.</summary>
public sealed class ServingAllocationTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly Mamba2Runtime runtime;

    public ServingAllocationTests()
    {
        runtime = Mamba2Runtime.Create(device, BuiltinModels.Load(BuiltinModels.Tiny), SharedRuntimes.FirstCandidate);
    }

    public void Dispose()
    {
        runtime.Dispose();
        device.Dispose();
    }

    private static int[] Tokens(Random rng, int length) => Enumerable.Range(0, length).Select(_ => rng.Next(96)).ToArray();

    [Fact]
    public void After_warmup_requests_of_warmed_shapes_allocate_no_device_buffers()
    {
        runtime.Warmup();
        using var cache = runtime.CreateCache(3);
        var before = runtime.DeviceBufferAllocations;
        before.Should().BeGreaterThan(0, "warmup sized the workspaces");

        // The CPU plan warms prefills up to 2*Q+5 = 37 tokens, batches up to 3, and a 1-prompt generation.
        var rng = new Random(7);
        for (var request = 0; request < 3; request++)
        {
            runtime.Generate([Tokens(rng, rng.Next(1, 37))], maxNewTokens: 3);
            var prompts = new[] { Tokens(rng, rng.Next(1, 12)), Tokens(rng, rng.Next(1, 12)) };
            runtime.Prefill(prompts, cache);
            runtime.Decode([prompts[0][0], prompts[1][0]], cache, [0, 1]);
            runtime.Prefill(prompts, cache, continueFromCache: true);
        }

        runtime.DeviceBufferAllocations.Should().Be(before, "every buffer a warmed request needs was allocated during warmup");
    }

    [Fact]
    public void A_request_longer_than_warmup_grows_a_buffer_and_the_count_shows_it()
    {
        runtime.Warmup();
        var before = runtime.DeviceBufferAllocations;
        runtime.Generate([Enumerable.Range(0, 200).Select(i => i % 96).ToArray()], maxNewTokens: 1);
        runtime.DeviceBufferAllocations.Should().BeGreaterThan(before);
    }

    [Fact]
    public void Generations_on_a_reused_cache_match_the_reference()
    {
        var reference = new Mamba2Reference(BuiltinModels.Load(BuiltinModels.Tiny));
        int[] first = [5, 17, 3, 88, 2, 9, 40, 41, 42, 1, 0, 95, 7, 7, 7, 7, 7, 30, 31];
        int[] second = [60, 2];
        var a = runtime.Generate([first], 4);
        var before = runtime.DeviceBufferAllocations;
        var b = runtime.Generate([second], 4);

        runtime.DeviceBufferAllocations.Should().Be(before, "the second generation reuses the first one's cache and buffers");
        a[0].Should().Equal(reference.Generate(first, 4));
        b[0].Should().Equal(reference.Generate(second, 4), "a short prompt after a long one must not see its states");
    }
}
