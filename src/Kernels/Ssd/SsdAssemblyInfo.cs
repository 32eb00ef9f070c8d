using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator builds its kernel tasks in a dynamic assembly named ILGPURuntime; the
// SSD kernels' parameter structs are internal, so that assembly must see them.
[assembly: InternalsVisibleTo("ILGPURuntime")]
