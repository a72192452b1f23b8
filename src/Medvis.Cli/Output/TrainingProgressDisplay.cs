using System.Globalization;
using Medvis.Core.Training;
using Spectre.Console;

namespace Medvis.Cli.Output;

/// <summary>
/// Shows trainer events: a live Spectre progress bar on a terminal, one line per epoch elsewhere
/// (redirected output, tests). Events arrive on the trainer's thread.
/// </summary>
internal sealed class TrainingProgressDisplay(IAnsiConsole console, int totalEpochs)
{
    /// <summary>Runs <paramref name="train"/> (given the progress sink) while displaying its events.</summary>
    public async Task<T> RunAsync<T>(Func<IProgress<TrainingEvent>, Task<T>> train)
    {
        if (!console.Profile.Capabilities.Interactive)
            return await train(new Sink(e => WriteLine(e)));

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: Math.Max(1, totalEpochs));
                return await train(new Sink(e => Update(task, e)));
            });
    }

    private void Update(ProgressTask task, TrainingEvent e)
    {
        switch (e)
        {
            case StepProgress step:
                task.Description = Markup.Escape($"stage {step.Stage} epoch {step.Epoch + 1} step {step.Step}/{step.StepsPerEpoch} loss {step.Loss:F4}");
                break;
            case EpochCompleted epoch:
                // A budget run's total is known only once it has planned (and changes when it re-plans).
                task.MaxValue = Math.Max(1, epoch.TotalEpochs);
                task.Value = epoch.GlobalEpoch;
                task.Description = Markup.Escape($"stage {epoch.Stage} epoch {epoch.Epoch + 1}/{epoch.EpochsInStage} loss {epoch.Loss:F4} {epoch.ImagesPerSecond:F0} img/s{KnnOf(epoch)}{EtaOf(epoch)}");
                break;
            case TrainingMessage message:
                console.MarkupLineInterpolated($"[grey]{message.Text}[/]");
                break;
        }
    }

    /// <summary>", kNN 62.5% (128-d)" on epochs that scored the snapshot subset, else nothing.</summary>
    private static string KnnOf(EpochCompleted epoch) => epoch.KnnAccuracy is { } knn
        ? string.Create(CultureInfo.InvariantCulture, $", kNN {knn * 100:F1}% ({(epoch.Stage == 1 ? "128-d" : "2-D")})")
        : "";

    /// <summary>", ETA 00:12:34" (with "~" while rough), else nothing.</summary>
    private static string EtaOf(EpochCompleted epoch) => epoch.Eta is { } eta && epoch.GlobalEpoch < epoch.TotalEpochs
        ? $", ETA {(eta.Rough ? "~" : "")}{TimeSpan.FromSeconds(Math.Round(eta.Remaining.TotalSeconds)):c}"
        : "";

    private void WriteLine(TrainingEvent e)
    {
        switch (e)
        {
            case EpochCompleted epoch:
                console.WriteLine($"epoch {epoch.GlobalEpoch}/{epoch.TotalEpochs} (stage {epoch.Stage}, {epoch.Epoch + 1}/{epoch.EpochsInStage}): loss {epoch.Loss:F4}, {epoch.ImagesPerSecond:F0} img/s, lr {epoch.LearningRate:G3}{KnnOf(epoch)}{EtaOf(epoch)}");
                break;
            case CheckpointSaved saved:
                console.WriteLine($"checkpoint saved after epoch {saved.GlobalEpoch}");
                break;
            case TrainingMessage message:
                console.WriteLine(message.Text);
                break;
        }
    }

    /// <summary>Calls the handler synchronously on the reporting thread (Progress&lt;T&gt; would post and reorder).</summary>
    private sealed class Sink(Action<TrainingEvent> handle) : IProgress<TrainingEvent>
    {
        private readonly Lock _gate = new();

        public void Report(TrainingEvent value)
        {
            lock (_gate) handle(value);
        }
    }
}
