namespace Medvis.Web.Health;

/// <summary>Whether something is there to train queued runs: the in-process worker, or a lab worker heard from lately.</summary>
public interface IWorkerPresence
{
    /// <summary>Looks now; never throws.</summary>
    WorkerPresence Check();
}
