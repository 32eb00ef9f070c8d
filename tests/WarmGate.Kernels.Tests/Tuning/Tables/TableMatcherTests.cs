using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TableMatcherTests : IDisposable
{
    private readonly EventRecorder recorder = new();

    public void Dispose() => recorder.Dispose();

    private TableMatcher Matcher(IReadOnlyDictionary<string, string>? hashes = null, string ilgpu = "1.5.3") =>
        new(H200, ilgpu, hashes ?? Hashes, recorder.Runtime);

    [Fact]
    public void A_matching_table_is_used_entirely_without_events()
    {
        var table = Table().WithSource("h200.json");

        var result = Matcher().Match(table, KernelPhase.Loading);

        result.Used.Should().HaveCount(2);
        result.TryGetEntry("ssd.prefill", Prefill().Key, out var entry).Should().BeTrue();
        entry.Should().Be(Prefill());
        result.Used[new TuningEntryKey("ssd.decode", DecodeEntry().Key)].Table.Source.Should().Be("h200.json");
        result.Rejected.Should().BeEmpty();
        recorder.Events.Should().BeEmpty();
    }

    [Fact]
    public void The_driver_version_does_not_matter()
    {
        var result = Matcher().Match(Table(H200OtherDriver), KernelPhase.Loading);

        result.Used.Should().HaveCount(2);
        recorder.Events.Should().BeEmpty();
    }

    [Fact]
    public void Another_device_rejects_every_entry_naming_both_devices()
    {
        var table = Table(H100).WithSource("h100.json");

        var result = Matcher().Match(table, KernelPhase.WarmingUp);

        result.Used.Should().BeEmpty();
        result.Rejected.Should().HaveCount(2).And.OnlyContain(r => r.Reason == TableRejectionReason.Device);
        var events = recorder.Events;
        events.Should().HaveCount(2).And.OnlyContain(e => e.Kind == KernelEventKind.TableEntryRejected && e.Phase == KernelPhase.WarmingUp);
        events.Select(e => e.Kernel).Should().Equal("ssd.decode", "ssd.prefill");
        events[1].Key.Should().Be(Prefill().Key);
        events[1].Config.Should().Be(Prefill().Config);
        events[1].Backend.Should().Be("Cuda");
        events[1].Detail.Should().StartWith("device: measured on Cuda NVIDIA H100 80GB HBM3")
            .And.Contain("but this is Cuda NVIDIA H200").And.EndWith("table h100.json");
    }

    [Fact]
    public void A_changed_kernel_hash_rejects_only_that_kernels_entries()
    {
        var hashes = new Dictionary<string, string> { ["ssd.prefill"] = "hash-prefill-v2", ["ssd.decode"] = "hash-decode" };

        var result = Matcher(hashes).Match(Table().WithSource("t.json"), KernelPhase.Loading);

        result.Used.Keys.Should().ContainSingle().Which.Kernel.Should().Be("ssd.decode");
        result.TryGetEntry("ssd.prefill", Prefill().Key, out _).Should().BeFalse();
        var e = recorder.Events.Should().ContainSingle().Which;
        e.Kernel.Should().Be("ssd.prefill");
        e.Detail.Should().StartWith("kernel-hash: ").And.Contain("hash-prefill").And.Contain("hash-prefill-v2").And.Contain("t.json");
        result.Rejected.Single().Code.Should().Be("kernel-hash");
    }

    [Fact]
    public void Another_ilgpu_version_rejects_every_entry()
    {
        var result = Matcher(ilgpu: "1.6.0").Match(Table(), KernelPhase.Loading);

        result.Used.Should().BeEmpty();
        recorder.Events.Should().HaveCount(2)
            .And.OnlyContain(e => e.Detail.StartsWith("ilgpu-version: measured with ILGPU 1.5.3 but this is ILGPU 1.6.0", StringComparison.Ordinal));
        recorder.Events[0].Detail.Should().Contain("(in memory)", "a table without source still says where it came from");
    }

    [Fact]
    public void An_unknown_kernel_is_rejected()
    {
        var hashes = new Dictionary<string, string> { ["ssd.decode"] = "hash-decode" };

        var result = Matcher(hashes).Match(Table(), KernelPhase.Serving);

        result.Used.Keys.Select(k => k.Kernel).Should().Equal("ssd.decode");
        var e = recorder.Events.Should().ContainSingle().Which;
        e.Kernel.Should().Be("ssd.prefill");
        e.Phase.Should().Be(KernelPhase.Serving);
        e.Detail.Should().StartWith("unknown-kernel: no kernel 'ssd.prefill'");
        result.Rejected.Single().Reason.Should().Be(TableRejectionReason.UnknownKernel);
    }

    [Fact]
    public void Earlier_tables_win_and_a_rejected_entry_does_not_hide_a_usable_one()
    {
        var env = Table(entries: [Prefill(config: "BP=32,BN=64")]).WithSource("env");
        var stale = Table(entries: [DecodeEntry(config: "B=256", hash: "old")]).WithSource("stale");
        var embedded = Table().WithSource("embedded");

        var result = Matcher().Match([env, stale, embedded], KernelPhase.Loading);

        result.TryGetEntry("ssd.prefill", Prefill().Key, out var prefill).Should().BeTrue();
        prefill!.Config.Should().Be("BP=32,BN=64");
        result.TryGetEntry("ssd.decode", DecodeEntry().Key, out var decode).Should().BeTrue();
        decode!.Config.Should().Be("B=128", "the stale decode entry was rejected, so the embedded one applies");
        result.Used[decode.Id].Table.Source.Should().Be("embedded");
        result.Shadowed.Should().ContainSingle().Which.Table.Source.Should().Be("embedded");
        recorder.Events.Should().ContainSingle().Which.Detail.Should().StartWith("kernel-hash:").And.Contain("stale");
    }

    [Fact]
    public void A_function_lookup_works_like_a_dictionary()
    {
        var matcher = new TableMatcher(H200, "1.5.3", id => id == "ssd.decode" ? "hash-decode" : null, recorder.Runtime);

        matcher.Match(Table(), KernelPhase.Loading).Used.Should().ContainSingle();
        recorder.Events.Should().ContainSingle().Which.Detail.Should().StartWith("unknown-kernel");
    }

    [Fact]
    public void Events_carry_the_ambient_scope()
    {
        using (KernelScope.Enter("MyTests.Some_test"))
            Matcher(ilgpu: "0.9").Match(Table(entries: [DecodeEntry()]), KernelPhase.Serving);

        recorder.Events.Should().ContainSingle().Which.Scope.Should().Be("MyTests.Some_test");
    }
}
