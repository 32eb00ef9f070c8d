using ILGPU.Runtime;

namespace WarmGate.Kernels.Model;

/// <summary>
/// State caches for the runtime's own requests (<see cref="Mamba2Runtime.Generate"/>,
/// <see cref="Mamba2Runtime.PrefillAllLogits"/>), kept between requests so a request of a warmed
/// batch size allocates no device memory. A rented cache holds whatever states its last user
/// left: every renter starts with a prefill from zeros (<c>continueFromCache: false</c>), which
/// writes every conv and SSM state of its slots before anything reads them.
/// Thread-safe: concurrent requests rent different caches.
/// </summary>
internal sealed class CachePool(Accelerator accelerator, Mamba2Config config) : IDisposable
{
    private readonly List<Mamba2Cache> free = [];
    private bool disposed;

    /// <summary>A cache of at least <paramref name="slots"/> slots: the smallest free one, or a new one.</summary>
    public Mamba2Cache Rent(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        lock (free)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var best = -1;
            for (var i = 0; i < free.Count; i++)
            {
                if (free[i].Slots >= slots && (best < 0 || free[i].Slots < free[best].Slots))
                    best = i;
            }
            if (best >= 0)
            {
                var cache = free[best];
                free.RemoveAt(best);
                return cache;
            }
        }
        return new Mamba2Cache(accelerator, config, slots);
    }

    /// <summary>Gives a rented cache back (disposes it when the pool is already disposed).</summary>
    public void Return(Mamba2Cache cache)
    {
        lock (free)
        {
            if (!disposed)
            {
                free.Add(cache);
                return;
            }
        }
        cache.Dispose();
    }

    public void Dispose()
    {
        lock (free)
        {
            disposed = true;
            foreach (var cache in free) cache.Dispose();
            free.Clear();
        }
    }
}
