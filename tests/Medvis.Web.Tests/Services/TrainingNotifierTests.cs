using System.Collections.Concurrent;
using Medvis.Core.Storage;
using Medvis.Web.Tests.Support;
using Medvis.Web.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Medvis.Web.Tests.Services;

/// <summary>Each subscriber has its own bounded queue: a stalled one neither delays the others nor grows without end.</summary>
public sealed class TrainingNotifierTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task ABlockedSubscriberDoesNotDelayAnotherAndKeepsEveryStatusButOnlyTheNewestSteps()
    {
        const int runId = 7, steps = 5 * (TrainingNotifier.SubscriberCapacity / 2);
        await using var app = new MedvisAppFactory(_dir.File("medvis.db"));
        var notifier = app.Services.GetRequiredService<TrainingNotifier>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowSeen = new ConcurrentQueue<RunUpdate>();
        var slowDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = notifier.Subscribe(runId, async u =>
        {
            await release.Task;
            slowSeen.Enqueue(u);
            if (u is RunStatusUpdate { Status: RunStatus.Done }) slowDone.TrySetResult();
        });
        var fastSeen = new ConcurrentQueue<RunUpdate>();
        var fastDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var fast = notifier.Subscribe(runId, u =>
        {
            fastSeen.Enqueue(u);
            if (u is RunStatusUpdate { Status: RunStatus.Done }) fastDone.TrySetResult();
            return Task.CompletedTask;
        });

        // Bursts smaller than a queue, each seen by the fast subscriber before the next, while the slow one is stuck.
        notifier.Publish(new RunStatusUpdate(runId, RunStatus.Running, null));
        const int bursts = 5, perBurst = TrainingNotifier.SubscriberCapacity / 2;
        for (var burst = 0; burst < bursts; burst++)
        {
            for (var i = 0; i < perBurst; i++) notifier.Publish(new RunStepUpdate(runId, 1, 1, burst * perBurst + i, steps, 0.5));
            if (burst == 2) notifier.Publish(new RunMessageUpdate(runId, "half way"));
            var last = (burst + 1) * perBurst - 1;
            await WaitUntilAsync(() => fastSeen.Any(u => u is RunStepUpdate { Step: var s } && s == last));
        }
        notifier.Publish(new RunStatusUpdate(runId, RunStatus.Done, null));

        await fastDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(steps + 3, fastSeen.Count);
        Assert.Empty(slowSeen);

        release.SetResult();
        await slowDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var received = slowSeen.ToList();
        // At most the queue's capacity plus the one update the blocked handler already held.
        Assert.InRange(received.Count, 3, TrainingNotifier.SubscriberCapacity + 1);
        Assert.Equal([RunStatus.Running, RunStatus.Done], received.OfType<RunStatusUpdate>().Select(s => s.Status));
        Assert.Contains(received, u => u is RunMessageUpdate);
        var stepNumbers = received.OfType<RunStepUpdate>().Select(s => s.Step).ToList();
        Assert.Equal(stepNumbers.Order(), stepNumbers);
        Assert.Equal(steps - 1, stepNumbers[^1]);
    }

    [Fact]
    public async Task AFullQueueDropsTheOldestStepThenTheOldestOtherUpdateButNeverAStatus()
    {
        var queue = new SubscriberQueue(3);
        RunUpdate Status(RunStatus s) => new RunStatusUpdate(1, s, null);
        RunUpdate Step(int n) => new RunStepUpdate(1, 1, 1, n, 10, 0);
        var running = Status(RunStatus.Running);
        var epoch = new RunEpochUpdate(1, new EpochPoint { GlobalEpoch = 1 });

        foreach (var update in new[] { running, Step(1), Step(2), epoch, Step(3) }) queue.Add(update);
        // full at [running, step 1, step 2]: epoch drops step 1, step 3 drops step 2.
        Assert.Equal(2, queue.Dropped);
        var done = Status(RunStatus.Done);
        queue.Add(done); // drops step 3
        var cancelled = Status(RunStatus.Cancelled);
        queue.Add(cancelled); // drops the epoch: no step is left
        var failed = Status(RunStatus.Failed);
        queue.Add(failed); // only statuses: nothing is dropped, the queue grows

        var taken = new List<RunUpdate>();
        while (queue.Count > 0) taken.Add(await queue.TakeAsync(CancellationToken.None));
        Assert.Equal([running, done, cancelled, failed], taken);
        Assert.Equal(4, queue.Dropped);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Poll.UntilAsync(condition, TimeSpan.FromSeconds(10), "the fast subscriber to catch up");

    public void Dispose() => _dir.Dispose();
}
