using TorchSharp;

namespace Medvis.Core.Compute;

/// <summary>
/// One training's claim on this machine's cores for as long as it runs: registers with <see cref="HostTrainers"/>
/// and keeps libtorch's threads at <see cref="ThreadShare"/>'s share, checked again at every <see cref="Rebalance"/>.
/// With an explicit thread count it only records that count.
/// </summary>
public sealed class TrainerThreads : IDisposable
{
    private readonly HostTrainers? _host;
    private readonly IDisposable? _registration;
    private readonly int _cores;

    /// <summary>Joins the machine's trainings (unless the environment fixes the threads) and takes this training's share.</summary>
    public TrainerThreads(Func<string, string?>? environment = null, HostTrainers? host = null, int? cores = null)
    {
        _cores = cores ?? Environment.ProcessorCount;
        var fixedThreads = ThreadShare.Explicit(environment ?? Environment.GetEnvironmentVariable);
        if (fixedThreads is { } threads)
        {
            Threads = threads;
            Explicit = true;
            return;
        }
        try
        {
            _host = host ?? new HostTrainers();
            _registration = _host.Join(Environment.ProcessId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No shared folder: train as before, on libtorch's own default.
            _host = null;
        }
        Rebalance();
    }

    /// <summary>The threads this training uses now.</summary>
    public int Threads { get; private set; }

    /// <summary>Whether the count was fixed by the environment rather than shared out.</summary>
    public bool Explicit { get; }

    /// <summary>Trainings on this machine at the last check (1 when not shared).</summary>
    public int Trainings { get; private set; } = 1;

    /// <summary>Takes this training's current share; true when the thread count changed.</summary>
    public bool Rebalance()
    {
        if (Explicit || _host is null) { Threads = torch.get_num_threads(); return false; }
        Trainings = Math.Max(1, _host.Count(HostTrainers.IsAlive));
        var share = ThreadShare.Of(_cores, Trainings);
        if (share == Threads) return false;
        torch.set_num_threads(share);
        var changed = Threads != 0;
        Threads = share;
        return changed;
    }

    /// <summary>Leaves the machine's trainings.</summary>
    public void Dispose() => _registration?.Dispose();
}
