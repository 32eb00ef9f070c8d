using System.Runtime.CompilerServices;

// ILGPU's CPU backend emits the launcher in a dynamic assembly named ILGPURuntime; it must see the
// internal kernel-argument structs (StateUpdateArgs, Conv1dArgs) it passes to kernels.
[assembly: InternalsVisibleTo("ILGPURuntime")]
