namespace Medvis.Web.Health;

/// <summary>
/// The embedded default: the <see cref="TrainingWorker"/> of this process is there while its loop runs. The loop
/// ends only with the app, or when something stopped or broke it.
/// </summary>
public sealed class InProcessWorkerPresence(IEnumerable<IHostedService> hostedServices) : IWorkerPresence
{
    private readonly TrainingWorker? _worker = hostedServices.OfType<TrainingWorker>().SingleOrDefault();

    /// <inheritdoc />
    public WorkerPresence Check() => _worker?.ExecuteTask switch
    {
        null => new(false, "the in-process worker has not started"),
        { IsCompleted: false } => new(true, "the in-process worker is running"),
        { IsFaulted: true } task => new(false, $"the in-process worker stopped: {task.Exception!.GetBaseException().Message.Split('\n')[0]}"),
        _ => new(false, "the in-process worker has stopped"),
    };
}
