using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model;

/// <summary>The serving path's one staged upload per step: only what was staged can go up.</summary>
public sealed class WorkspaceStagingTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);

    public void Dispose() => device.Dispose();

    private static int[] Host(ArrayView<int> view)
    {
        var host = new int[view.Length];
        view.CopyToCPU(ref host[0], view.Length);
        return host;
    }

    [Fact]
    public void Staged_ints_upload_and_an_upload_longer_than_the_last_stage_is_refused()
    {
        using var workspace = new Workspace(device.Accelerator);
        var big = workspace.Stage(8);
        for (var i = 0; i < big.Length; i++) big[i] = i + 1;
        Host(workspace.Upload("ids", 8)).Should().Equal([1, 2, 3, 4, 5, 6, 7, 8]);

        var small = workspace.Stage(3);
        small[0] = 7;
        small[1] = 8;
        small[2] = 9;
        Host(workspace.Upload("ids", 3)).Should().Equal([7, 8, 9]);

        var stale = () => workspace.Upload("ids", 5);
        stale.Should().Throw<InvalidOperationException>()
            .WithMessage("*5 ints to upload but only 3 were staged*", "the last two ints would be a previous step's");
    }
}
