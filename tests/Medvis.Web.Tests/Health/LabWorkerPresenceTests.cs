using Medvis.Core.Lab;
using Medvis.Web.Health;

namespace Medvis.Web.Tests.Health;

public sealed class LabWorkerPresenceTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);
    private static readonly LabQueueSettings Queue = new() { HeartbeatTimeout = TimeSpan.FromSeconds(120) };

    private static WorkerPresence CheckWith(Func<IReadOnlyList<WorkerHeartbeat>> heartbeats) =>
        new LabWorkerPresence(new Heartbeats(heartbeats), Queue, new FixedClock(Now)).Check();

    [Fact]
    public void AWorkerHeardWithinTheHeartbeatTimeoutIsThere()
    {
        var found = CheckWith(() => [new("gpu0/17", Now.AddSeconds(-119)), new("gpu1/18", Now.AddMinutes(-10))]);

        Assert.Equal(new WorkerPresence(true, "1 worker(s) heard from in the last 120 s"), found);
    }

    [Fact]
    public void WorkersSilentForLongerThanTheTimeoutAreNot()
    {
        var found = CheckWith(() => [new("gpu0/17", Now.AddSeconds(-121)), new("gpu1/18", Now.AddMinutes(-10))]);

        Assert.Equal(new WorkerPresence(false, "none of 2 registered worker(s) heard from in the last 120 s"), found);
    }

    [Fact]
    public void NoRegisteredWorkerIsSaidSo()
    {
        Assert.Equal(new WorkerPresence(false, "no worker is registered with the queue"), CheckWith(() => []));
    }

    [Fact]
    public void AQueueThatDoesNotAnswerHidesEveryWorker()
    {
        var found = CheckWith(() => throw new InvalidOperationException("connection refused\nat somewhere"));

        Assert.Equal(new WorkerPresence(false, "the queue does not answer, so no worker can be heard: connection refused"), found);
    }

    private sealed class Heartbeats(Func<IReadOnlyList<WorkerHeartbeat>> all) : IWorkerHeartbeats
    {
        public IReadOnlyList<WorkerHeartbeat> All() => all();
    }

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }
}
