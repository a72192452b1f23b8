using Medvis.Core.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Medvis.Core.Lab;

/// <summary>
/// A worker's run events as NOTIFY on <see cref="RunEventNotice.Channel"/>, for the web app to relay to browsers.
/// Best effort: what late joiners need is in the store already, so a lost notice only delays a live view.
/// </summary>
public sealed class PostgresRunEvents(NpgsqlDataSource dataSource, ILogger<PostgresRunEvents> logger, TimeProvider? clock = null) : IRunEvents
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <inheritdoc />
    public void StatusChanged(int runId, RunStatus status, string? error) =>
        Notify(new RunEventNotice(runId, RunEventKind.Status) { Status = status, Error = error });

    /// <inheritdoc />
    public void EpochFinished(int runId, EpochPoint point) => Notify(new RunEventNotice(runId, RunEventKind.Epoch) { Point = point });

    /// <inheritdoc />
    public void SnapshotTaken(int runId, SnapshotPoint snapshot) =>
        Notify(new RunEventNotice(runId, RunEventKind.Snapshot) { Stage = snapshot.Stage, Epoch = snapshot.Epoch });

    /// <inheritdoc />
    public void StepDone(int runId, int stage, int epoch, int step, int stepsPerEpoch, double loss) =>
        Notify(new RunEventNotice(runId, RunEventKind.Step) { Stage = stage, Epoch = epoch, Step = step, StepsPerEpoch = stepsPerEpoch, Loss = loss });

    /// <inheritdoc />
    public void MessageAdded(int runId, string text) => Notify(new RunEventNotice(runId, RunEventKind.Message) { Text = text });

    private void Notify(RunEventNotice notice)
    {
        try
        {
            using var command = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
            command.Parameters.AddWithValue("channel", RunEventNotice.Channel);
            command.Parameters.AddWithValue("payload", (notice with { SentAtUtc = _clock.GetUtcNow().UtcDateTime }).ToPayload());
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException e)
        {
            logger.LogDebug(e, "Run {RunId}: a {Kind} notice was not sent", notice.RunId, notice.Kind);
        }
    }
}
