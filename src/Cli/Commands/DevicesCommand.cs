using System.CommandLine;
using WarmGate.Kernels.Devices;

namespace WarmGate.Cli.Commands;

/// <summary><c>warmgate devices</c>: lists the devices WarmGate can run on.</summary>
internal static class DevicesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("devices", "List the devices WarmGate can use (CUDA and the CPU accelerator).");
        command.SetAction(_ =>
        {
            foreach (var line in DeviceSelector.ListDevices()) output.WriteLine(line);
            return ExitCodes.Ok;
        });
        return command;
    }
}
