using Medvis.Core.Storage;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Storage;

/// <summary>
/// Writes to different LiteDB collections at the same time, as the web app does (a run saving checkpoints every
/// epoch while people sign in, tag and audit). LiteDB 5.0.x corrupts its free-page list under this load
/// ("empty page must be defined as empty type", LiteDB issues 1940 and 2503); the store serialises its writes.
/// </summary>
public sealed class LiteDbConcurrentWriteTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medvis-concurrent-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task CheckpointsAuditEntriesUsersAndDeletionsFromParallelThreadsNeverBreakTheFile()
    {
        var path = Path.Combine(_dir, "medvis.db");
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var operations = 0;
        using (var db = new MedvisDatabase(path))
        {
            var users = Enumerable.Range(0, 4).Select(i => db.Users.Add($"user-{i}", UserRole.Member).Id).ToArray();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));
            void Loop(Action<int> act) 
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try { act(i); Interlocked.Increment(ref operations); }
                    catch (Exception e) { errors.Enqueue(e); return; }
                }
            }
            var state = new byte[40_000];
            await Task.WhenAll(
                Task.Run(() => Loop(i => db.CheckpointsFor(1).Save(new TrainingCheckpoint(i, state, DateTime.UtcNow)))),
                Task.Run(() => Loop(i => db.CheckpointsFor(2).Save(new TrainingCheckpoint(i, state, DateTime.UtcNow)))),
                Task.Run(() => Loop(i => db.Audit.Add("someone", "did", $"thing {i}"))),
                Task.Run(() => Loop(i => db.Users.Update(users[i % users.Length], u => u.SetPasswordNonce = i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
                Task.Run(() => Loop(i => { if (i % 5 == 0) db.ClearCheckpoints(2); })));
        }
        Assert.True(errors.IsEmpty, $"{errors.Count} error(s) in {operations} operations, first: {errors.FirstOrDefault()}");
        Assert.True(operations > 100, $"only {operations} operations ran");

        using var reopened = new MedvisDatabase(path);
        Assert.NotNull(reopened.CheckpointsFor(1).LoadLatest());
        Assert.Equal(4, reopened.Users.All().Count);
        reopened.Audit.Add("after", "reopened", "the file");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
