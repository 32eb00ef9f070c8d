namespace HarnessParallel;

/// <summary>Makes the two collections' tests overlap, so attribution by timing would blame both.</summary>
internal static class Rendezvous
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    public static readonly TaskCompletionSource OffenderStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public static readonly TaskCompletionSource InnocentServed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public static readonly TaskCompletionSource OffenderCompiled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task Wait(TaskCompletionSource signal, string what)
    {
        if (await Task.WhenAny(signal.Task, Task.Delay(Timeout)) != signal.Task)
            throw new TimeoutException($"Waited {Timeout.TotalSeconds} s for {what}: the two collections did not run in parallel.");
    }
}
