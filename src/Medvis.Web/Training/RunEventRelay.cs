using Medvis.Core.Lab;
using Medvis.Core.Storage;
using Medvis.Core.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Medvis.Web.Training;

/// <summary>
/// Lab mode: LISTENs for the workers' run events and publishes them on the <see cref="TrainingNotifier"/>, so the
/// live view, ETA and snapshots look the same whichever machine trains. Records the workers' epochs and each snapshot's
/// lag from the worker's notice to the pages in the metrics. Reconnects after a lost connection.
/// </summary>
public sealed class RunEventRelay(
    IConfiguration configuration, IOptions<MedvisOptions> options, IMedvisStore database, TrainingNotifier notifier, MedvisMetrics metrics,
    TimeProvider clock, ILogger<RunEventRelay> logger)
    : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The embedded default trains in this process and publishes directly.
        if (options.Value.Store != StoreKinds.Postgres) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
            {
                logger.LogWarning("Run events: {Error}; listening again in {Delay} s", e.Message, ReconnectDelay.TotalSeconds);
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Medvis"));
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, e) => Relay(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {RunEventNotice.Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        while (true) await connection.WaitAsync(stoppingToken);
    }

    private void Relay(string payload)
    {
        if (RunEventNotice.FromPayload(payload) is not { } notice) return;
        var update = ToUpdate(notice);
        if (update is null) return;
        notifier.Publish(update);
        if (update is RunEpochUpdate epoch) metrics.EpochFinished(epoch.Point);
        // From the worker's clock to ours: hosts keep time by NTP, well within the lag worth watching.
        if (update is RunSnapshotUpdate && notice.SentAtUtc is { } sent) metrics.SnapshotRelayed(clock.GetUtcNow().UtcDateTime - sent);
    }

    private RunUpdate? ToUpdate(RunEventNotice notice) => notice.Kind switch
    {
        RunEventKind.Status when notice.Status is { } status => new RunStatusUpdate(notice.RunId, status, notice.Error),
        RunEventKind.Epoch when notice.Point is { } point => new RunEpochUpdate(notice.RunId, point),
        // Too large for a notice: the worker stored it before announcing it.
        RunEventKind.Snapshot => database.Runs.Get(notice.RunId)?.LatestSnapshot is { } snapshot ? new RunSnapshotUpdate(notice.RunId, snapshot) : null,
        RunEventKind.Step => new RunStepUpdate(notice.RunId, notice.Stage, notice.Epoch, notice.Step, notice.StepsPerEpoch, notice.Loss),
        RunEventKind.Message when notice.Text is { } text => new RunMessageUpdate(notice.RunId, text),
        _ => null,
    };
}
