using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Runtime;

/// <summary>
/// <see cref="PtxDump"/> and <see cref="KernelRegistry.PtxDirectory"/>: stable file names, a header
/// that says which kernel a file is, a clear error for a folder that cannot be written, nothing
/// written for backends without PTX; on CUDA, every compilation leaves its PTX.
/// </summary>
public sealed class PtxDumpTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"warmgate-ptx-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    internal static void Fill(ArrayView<float> data, float value)
    {
        var i = Grid.GlobalIndex.X;
        if (i < data.Length) data[i] = value;
    }

    private static MethodInfo FillMethod =>
        typeof(PtxDumpTests).GetMethod(nameof(Fill), BindingFlags.NonPublic | BindingFlags.Static)!;

    [Fact]
    public void Names_are_stable_per_kernel_key_and_config_and_safe_as_file_names()
    {
        var a = PtxDump.FileName("ssd.chunk_scan", "H=80", "Q=128,TC=1", "M<A>");
        a.Should().Be(PtxDump.FileName("ssd.chunk_scan", "H=80", "Q=128,TC=1", "M<A>"), "the same kernel gets the same name in every run");
        a.Should().StartWith("ssd.chunk_scan.").And.EndWith(".ptx");
        PtxDump.FileName("ssd.chunk_scan", "H=80", "Q=64,TC=1", "M<A>").Should().NotBe(a, "another config is another file");
        PtxDump.FileName("ssd.chunk_scan", "H=64", "Q=128,TC=1", "M<A>").Should().NotBe(a, "another key is another file");
        PtxDump.FileName("a/b c:d", "k", "c", "m").Should().StartWith("a_b_c_d.", "separators never reach the file system");
    }

    [Fact]
    public void Write_creates_the_folder_and_heads_the_ptx_with_what_it_is()
    {
        var folder = Path.Combine(root, "nested");
        var path = PtxDump.Write(folder, "test.fill", "n=4", "group=16", "PtxDumpTests.Fill<>", ".entry Kernel_Kernel()\n{\n}\n");
        path.Should().Be(Path.Combine(folder, PtxDump.FileName("test.fill", "n=4", "group=16", "PtxDumpTests.Fill<>")));
        var lines = File.ReadAllLines(path);
        lines[..4].Should().Equal("// warmgate kernel: test.fill", "// key: n=4", "// config: group=16", "// method: PtxDumpTests.Fill<>");
        lines.Should().Contain(".entry Kernel_Kernel()");
    }

    [Fact]
    public void A_second_dump_of_the_same_kernel_replaces_the_first_and_leaves_no_temporary_file()
    {
        var first = PtxDump.Write(root, "test.fill", "n=4", "group=16", "m", "first");
        var second = PtxDump.Write(root, "test.fill", "n=4", "group=16", "m", "second");
        second.Should().Be(first);
        File.ReadAllText(second).Should().EndWith("second");
        Directory.GetFiles(root).Should().ContainSingle("the write goes through a temporary file that is moved into place");
    }

    [Fact]
    public void A_folder_that_cannot_be_written_is_a_clear_error()
    {
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, "not-a-folder");
        File.WriteAllText(file, "x");
        var act = () => PtxDump.Write(file, "test.fill", "n=4", "group=16", "m", "ptx");
        act.Should().Throw<InvalidOperationException>()
            .WithMessage($"*{PtxDump.EnvironmentVariable}*test.fill [n=4]*{file}*writable folder*");
        File.ReadAllText(file).Should().Be("x", "nothing is lost");
    }

    [Fact]
    public void The_cpu_backend_writes_no_ptx()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cpu);
        using var registry = new KernelRegistry(device.Accelerator, "ptx-dump-cpu") { PtxDirectory = root };
        var fill = registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, float>>(
            "test.fill", FillMethod, "n=4", "group=4");
        using var data = device.Accelerator.Allocate1D<float>(4);
        fill(device.Accelerator.DefaultStream, new KernelConfig(1, 4), data.View, 3f);
        device.Accelerator.Synchronize();
        data.GetAsArray1D().Should().AllBeEquivalentTo(3f, "the kernel still ran");
        Directory.Exists(root).Should().BeFalse("the CPU backend compiles to IL, not PTX");
    }

    [CudaFact]
    public void Every_cuda_compilation_leaves_its_ptx_before_the_load()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cuda);
        using var registry = new KernelRegistry(device.Accelerator, "ptx-dump-cuda") { PtxDirectory = root };
        registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, float>>("test.fill", FillMethod, "n=4", "group=4");
        var file = Directory.GetFiles(root).Should().ContainSingle().Subject;
        Path.GetFileName(file).Should().StartWith("test.fill.");
        var text = File.ReadAllText(file);
        text.Should().StartWith("// warmgate kernel: test.fill").And.Contain(".entry");
    }
}
