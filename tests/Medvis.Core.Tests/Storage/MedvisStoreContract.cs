using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Storage;

/// <summary>
/// What every <see cref="IMedvisStore"/> must do; each store's test class derives from this one, so LiteDB and
/// PostgreSQL pass the same suite.
/// </summary>
public abstract class MedvisStoreContract : IDisposable
{
    /// <summary>Opens the store under test; a second call opens the same data again (a reopen after a restart).</summary>
    protected abstract IMedvisStore Open();

    [SkippableFact]
    public void RunsSurviveReopeningTheFileWithOptionsHistoryAndTimestamps()
    {
        var options = new TrainingOptions { BatchSize = 64, EpochsPerStage = [2, 1, 3], Seed = 7, LearningRate = 0.01 };
        var created = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        int id;
        using (var db = Open())
        {
            var run = db.Runs.Add(new RunRecord
            {
                Name = "r", DatasetSpec = "demo", Split = DatasetSplit.Val, OptionsJson = TrainingOptionsJson.Serialize(options),
                CreatedAtUtc = created, MaxImages = 256,
            });
            id = run.Id;
            db.Runs.Update(id, r =>
            {
                r.Status = RunStatus.Running;
                r.History.Add(new EpochPoint { Stage = 1, Epoch = 0, GlobalEpoch = 1, Loss = 4.5, LearningRate = 0.01, ImagesPerSecond = 100 });
                r.LatestSnapshot = new SnapshotPoint { Stage = 2, Indices = [1, 2], Labels = [0, 1], X = [0.5f, 1.5f], Y = [2f, 3f] };
            });
        }

        using var reopened = Open();
        var stored = reopened.Runs.Get(id)!;
        Assert.Equal(RunStatus.Running, stored.Status);
        Assert.Equal(DatasetSplit.Val, stored.Split);
        Assert.Equal(256, stored.MaxImages);
        Assert.Equal(created, stored.CreatedAtUtc);
        Assert.Equal(DateTimeKind.Utc, stored.CreatedAtUtc.Kind);
        Assert.Equal(4.5, Assert.Single(stored.History).Loss);
        Assert.Equal([0.5f, 1.5f], stored.LatestSnapshot!.X);
        var restoredOptions = TrainingOptionsJson.Deserialize(stored.OptionsJson);
        Assert.Equal(options.EpochsPerStage, restoredOptions.EpochsPerStage);
        Assert.Equal(options with { EpochsPerStage = restoredOptions.EpochsPerStage }, restoredOptions);
    }

    [SkippableFact]
    public void CountForDatasetCountsOnlyThatDatasetsRunsAndFollowsDeletes()
    {
        using var db = Open();
        db.Runs.Add(new RunRecord { DatasetId = 3, Status = RunStatus.Done });
        var second = db.Runs.Add(new RunRecord { DatasetId = 3, Status = RunStatus.Queued });
        db.Runs.Add(new RunRecord { DatasetId = 4, Status = RunStatus.Done });

        Assert.Equal(2, db.Runs.CountForDataset(3));
        Assert.Equal(1, db.Runs.CountForDataset(4));
        Assert.Equal(0, db.Runs.CountForDataset(5));
        db.Runs.Delete(second.Id);
        Assert.Equal(1, db.Runs.CountForDataset(3));
    }

    [SkippableFact]
    public void CountByStatusCountsEachStateAndFollowsUpdatesAndDeletes()
    {
        using var db = Open();
        Assert.Empty(db.Runs.CountByStatus());
        var first = db.Runs.Add(new RunRecord { DatasetId = 3, Status = RunStatus.Queued });
        db.Runs.Add(new RunRecord { DatasetId = 3, Status = RunStatus.Queued });
        var done = db.Runs.Add(new RunRecord { DatasetId = 4, Status = RunStatus.Done });

        Assert.Equal(new Dictionary<RunStatus, int> { [RunStatus.Queued] = 2, [RunStatus.Done] = 1 }, db.Runs.CountByStatus());
        db.Runs.Update(first.Id, r => r.Status = RunStatus.Running);
        db.Runs.Delete(done.Id);
        Assert.Equal(new Dictionary<RunStatus, int> { [RunStatus.Queued] = 1, [RunStatus.Running] = 1 }, db.Runs.CountByStatus());
    }

    [SkippableFact]
    public void WithStatusReturnsOnlyMatchingRunsOldestFirst()
    {
        using var db = Open();
        var a = db.Runs.Add(new RunRecord { Status = RunStatus.Queued });
        db.Runs.Add(new RunRecord { Status = RunStatus.Done });
        var c = db.Runs.Add(new RunRecord { Status = RunStatus.Running });

        var pending = db.Runs.WithStatus(RunStatus.Queued, RunStatus.Running);

        Assert.Equal([a.Id, c.Id], pending.Select(r => r.Id));
    }

    [SkippableFact]
    public void ACancelRequestIsSeenThroughTheCheapFlagQuery()
    {
        using var db = Open();
        var worker = db;
        var run = db.Runs.Add(new RunRecord { Status = RunStatus.Running, DatasetContentHash = "abc" });
        Assert.False(worker.Runs.IsCancelRequested(run.Id));

        db.Runs.Update(run.Id, r => r.CancelRequested = true);

        Assert.True(worker.Runs.IsCancelRequested(run.Id));
        Assert.False(worker.Runs.IsCancelRequested(run.Id + 1));
        Assert.Equal("abc", worker.Runs.Get(run.Id)!.DatasetContentHash);
    }

    [SkippableFact]
    public void ConcurrentUpdatesAreNotLost()
    {
        using var db = Open();
        var run = db.Runs.Add(new RunRecord());

        Parallel.For(0, 200, i => db.Runs.Update(run.Id, r => r.Messages.Add(i.ToString())));

        Assert.Equal(200, db.Runs.Get(run.Id)!.Messages.Distinct().Count());
    }

    [SkippableFact]
    public void ResultRoundTripsExactly()
    {
        var x = Enumerable.Range(0, 5000).Select(i => i * 0.25f - 3).ToArray();
        var y = x.Select(v => -v).ToArray();
        var labels = Enumerable.Range(0, 5000).Select(i => i % 7).ToArray();
        var indices = Enumerable.Range(0, 5000).Select(i => 5000 - i).ToArray();
        using (var db = Open())
            db.Artifacts.SaveResult(new RunResult(3, x, y, labels, indices, ["a", "b", "c", "d", "e", "f", "g"]));

        using var reopened = Open();
        var result = reopened.Artifacts.LoadResult(3)!;
        Assert.Equal(x, result.X);
        Assert.Equal(y, result.Y);
        Assert.Equal(labels, result.Labels);
        Assert.Equal(indices, result.DatasetIndices);
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], result.ClassNames);
        Assert.Null(reopened.Artifacts.LoadResult(4));
    }

    [SkippableFact]
    public void ResultWithMismatchedArraysIsRejected()
    {
        using var db = Open();
        var error = Assert.Throws<ArgumentException>(() => db.Artifacts.SaveResult(new RunResult(1, [1f, 2f], [1f], [0, 0], [0, 1], ["a"])));
        Assert.Contains("differ in length", error.Message);
    }

    [SkippableFact]
    public void ModelAndMetricsAreReplacedNotAppended()
    {
        using var db = Open();
        db.Artifacts.SaveModel(1, [1, 2, 3]);
        db.Artifacts.SaveModel(1, [9]);
        db.Artifacts.SaveMetricsJson(1, "{\"a\":1}");
        db.Artifacts.SaveMetricsJson(1, "{\"a\":2}");

        Assert.Equal([9], db.Artifacts.LoadModel(1));
        Assert.Equal("{\"a\":2}", db.Artifacts.LoadMetricsJson(1));
        Assert.Null(db.Artifacts.LoadModel(2));
    }

    [SkippableFact]
    public void CheckpointStoreKeepsOnlyTheLatestPerRun()
    {
        var big = new byte[3_000_000];
        new Random(1).NextBytes(big);
        using (var db = Open())
        {
            var store = db.CheckpointsFor(5);
            Assert.Null(store.LoadLatest());
            store.Save(new TrainingCheckpoint(1, [1, 1], DateTime.UtcNow));
            store.Save(new TrainingCheckpoint(2, big, new DateTime(2025, 5, 5, 0, 0, 0, DateTimeKind.Utc)));
            db.CheckpointsFor(6).Save(new TrainingCheckpoint(9, [6], DateTime.UtcNow));
        }

        using var reopened = Open();
        var latest = reopened.CheckpointsFor(5).LoadLatest()!;
        Assert.Equal(2, latest.GlobalEpoch);
        Assert.Equal(big, latest.State);
        Assert.Equal(new DateTime(2025, 5, 5, 0, 0, 0, DateTimeKind.Utc), latest.SavedAtUtc);
        Assert.Equal(9, reopened.CheckpointsFor(6).LoadLatest()!.GlobalEpoch);
    }

    [SkippableFact]
    public void DeletingARunRemovesItsCheckpointResultAndTags()
    {
        using var db = Open();
        var run = db.Runs.Add(new RunRecord());
        db.CheckpointsFor(run.Id).Save(new TrainingCheckpoint(1, [1], DateTime.UtcNow));
        db.Artifacts.SaveModel(run.Id, [1]);
        db.Annotations.Add(run.Id, "odd", [1, 2]);
        db.Snapshots.Add(run.Id, Snapshot(3), 10);

        db.DeleteRun(run.Id);
        Assert.Empty(db.Snapshots.ForRun(run.Id));

        Assert.Null(db.Runs.Get(run.Id));
        Assert.Null(db.CheckpointsFor(run.Id).LoadLatest());
        Assert.Null(db.Artifacts.LoadModel(run.Id));
        Assert.Empty(db.Annotations.ForRun(run.Id));
    }

    [SkippableFact]
    public void SnapshotHistoriesAreBoundedEvenlyPerRunAndSurviveReopening()
    {
        using (var db = Open())
        {
            for (var epoch = 1; epoch <= 40; epoch++) db.Snapshots.Add(1, Snapshot(epoch), 8);
            db.Snapshots.Add(2, Snapshot(5), 8);
        }
        using var reopened = Open();
        var history = reopened.Snapshots.ForRun(1);
        Assert.Equal(8, history.Count);
        Assert.Equal(1, history[0].GlobalEpoch);
        Assert.Equal(40, history[^1].GlobalEpoch);
        Assert.Equal(history.Select(s => s.GlobalEpoch), reopened.Snapshots.EpochsOf(1));
        Assert.True(history.Zip(history.Skip(1), (a, b) => b.GlobalEpoch - a.GlobalEpoch).Max() <= 12);
        var last = history[^1];
        Assert.Equal([40f, 41f], last.X);
        Assert.Equal([0, 1], last.Labels);
        Assert.Equal([5], reopened.Snapshots.EpochsOf(2));
    }

    [SkippableFact]
    public void AResumedRunsRepeatedSnapshotsReplaceTheStoredOnes()
    {
        using var db = Open();
        foreach (var epoch in new[] { 1, 2, 3, 4 }) db.Snapshots.Add(7, Snapshot(epoch), 10);
        db.Snapshots.Add(7, Snapshot(3, x: 99), 10);
        Assert.Equal([1, 2, 3], db.Snapshots.EpochsOf(7));
        Assert.Equal(99f, db.Snapshots.ForRun(7)[^1].X[0]);
        db.Snapshots.DeleteForRun(7);
        Assert.Empty(db.Snapshots.EpochsOf(7));
    }

    private static SnapshotPoint Snapshot(int globalEpoch, float? x = null) => new()
    {
        Stage = 2, Epoch = globalEpoch - 1, GlobalEpoch = globalEpoch, Indices = [10, 11], Labels = [0, 1],
        X = [x ?? globalEpoch, (x ?? globalEpoch) + 1], Y = [0, 1],
    };

    [SkippableFact]
    public void DatasetsAreFoundBySpecWithTheirCounts()
    {
        using var db = Open();
        db.Datasets.Add(new DatasetRecord
        {
            Name = "demo", Spec = "demo", ClassNames = ["a", "b"],
            CountsPerSplit = new() { ["Train"] = [3, 4], ["Test"] = [1, 1] },
        });

        var found = db.Datasets.FindBySpec("demo")!;
        Assert.Equal(7, found.CountOf(DatasetSplit.Train));
        Assert.Equal(9, found.CountOf(DatasetSplit.All));
        Assert.Equal(0, found.CountOf(DatasetSplit.Val));
        Assert.Null(db.Datasets.FindBySpec("/nope"));
    }

    [SkippableFact]
    public void DatasetMetadataIsReplacedSurvivesReopeningAndGoesWithItsDataset()
    {
        int id;
        var labels = Enumerable.Range(0, 300).Select(i => i % 4).ToArray();
        using (var db = Open())
        {
            id = db.Datasets.Add(new DatasetRecord { Name = "m", Spec = "demo:meta" }).Id;
            Assert.Null(db.Metadata.Load(id));
            var first = Medvis.Core.Data.Metadata.MetadataCsv.Parse("index,age\n0,1\n"u8.ToArray(), "a.csv", new(300));
            first.DatasetId = id;
            db.Metadata.Save(first);
            var second = Medvis.Core.Data.Metadata.MetadataCsv.Parse(System.Text.Encoding.UTF8.GetBytes(Medvis.Core.Data.Metadata.SyntheticMetadata.HamStyleCsv(labels)), "ham.csv", new(300));
            second.DatasetId = id;
            second.UploadedBy = "member";
            db.Metadata.Save(second);
        }
        using (var db = Open())
        {
            var stored = db.Metadata.Load(id)!;
            Assert.Equal("ham.csv", stored.FileName);
            Assert.Equal("member", stored.UploadedBy);
            Assert.Equal(["age", "sex", "localization", "dx_type"], stored.Columns.Select(c => c.Name));
            Assert.Equal(300, stored.Column("sex")!.Codes.Length);
            Assert.Contains(stored.Column("age")!.Values, double.IsNaN);
            Assert.True(db.Datasets.Delete(id));
            Assert.Null(db.Metadata.Load(id));
            Assert.False(db.Metadata.Delete(id));
        }
    }

    [SkippableFact]
    public void DatasetsAreRenamedAndDeletedByIdAlone()
    {
        using var db = Open();
        var kept = db.Datasets.Add(new DatasetRecord { Name = "folder", Spec = "/data/a/folder", ClassNames = ["a"] });
        var other = db.Datasets.Add(new DatasetRecord { Name = "other", Spec = "/data/b", ClassNames = ["a"] });

        Assert.True(db.Datasets.Rename(kept.Id, "blood cells (JPEG)"));
        Assert.False(db.Datasets.Rename(9999, "x"));
        Assert.Equal("blood cells (JPEG)", db.Datasets.Get(kept.Id)!.Name);
        Assert.Equal("/data/a/folder", db.Datasets.Get(kept.Id)!.Spec);
        Assert.Equal("other", db.Datasets.Get(other.Id)!.Name);

        Assert.True(db.Datasets.Delete(other.Id));
        Assert.False(db.Datasets.Delete(other.Id));
        Assert.Equal([kept.Id], db.Datasets.All().Select(d => d.Id));
    }

    [SkippableFact]
    public void TagsNeedALabelAndPoints()
    {
        using var db = Open();
        Assert.Throws<ArgumentException>(() => db.Annotations.Add(1, "  ", [1]));
        Assert.Throws<ArgumentException>(() => db.Annotations.Add(1, "x", []));
        db.Annotations.Add(1, " blast ", [4, 5]);
        Assert.Equal("blast", Assert.Single(db.Annotations.ForRun(1)).Label);
    }

    [SkippableFact]
    public void UsersAreUniqueIgnoringCaseAndUpdatable()
    {
        using var db = Open();
        var ada = db.Users.Add(" Ada ", UserRole.Member);
        Assert.Throws<ArgumentException>(() => db.Users.Add("ADA", UserRole.Viewer));
        Assert.False(db.Users.AnAdminCanSignIn());

        Assert.True(db.Users.Update(ada.Id, u => { u.Role = UserRole.Admin; u.PasswordHash = "hash"; }));

        Assert.Equal(UserRole.Admin, db.Users.FindByName("ada")!.Role);
        Assert.True(db.Users.AnAdminCanSignIn());
        Assert.False(db.Users.Update(ada.Id + 100, u => u.Disabled = true));
    }

    [SkippableFact]
    public void RunsWithCheckpointsListsRunsWithStoredCheckpointsAndCompactingKeepsTheData()
    {
        using var db = Open();
        var kept = db.Runs.Add(new RunRecord { Name = "kept", DatasetSpec = "demo" });
        var state = new byte[1 << 20];
        new Random(1).NextBytes(state);
        db.CheckpointsFor(kept.Id).Save(new TrainingCheckpoint(3, state[..1000], DateTime.UtcNow));
        db.CheckpointsFor(41).Save(new TrainingCheckpoint(1, state, DateTime.UtcNow));
        Assert.Equal([kept.Id, 41], db.RunsWithCheckpoints());

        db.ClearCheckpoints(41);
        Assert.Equal([kept.Id], db.RunsWithCheckpoints());
        db.Compact();

        Assert.Equal("kept", db.Runs.Get(kept.Id)!.Name);
        Assert.Equal(state[..1000], db.CheckpointsFor(kept.Id).LoadLatest()!.State);
    }

    [SkippableFact]
    public void AuditIsNewestFirstAndShareLinksAreFoundByRunUntilRevoked()
    {
        using var db = Open();
        db.Audit.Add("ada", "queued run", "run 1");
        db.Audit.Add("ada", "cancelled run", "run 1");
        var link = db.ShareLinks.Add(ShareKind.Comparison, [1, 2], "ada", null);
        Assert.Throws<ArgumentException>(() => db.ShareLinks.Add(ShareKind.Run, [1, 2], "ada", null));

        Assert.Equal(["cancelled run", "queued run"], db.Audit.Latest(5).Select(a => a.Action));
        Assert.Equal(link.Id, Assert.Single(db.ShareLinks.ForRun(2)).Id);
        Assert.Empty(db.ShareLinks.ForRun(3));
        Assert.True(db.ShareLinks.Revoke(link.Id));
        Assert.False(db.ShareLinks.Get(link.Id)!.IsActive(DateTime.UtcNow));
    }

    [SkippableFact]
    public void ApiTokensAreFoundByHashListedPerUserRevokedOnceAndSurviveReopening()
    {
        var created = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        var hash = new string('a', 64);
        int id;
        using (var db = Open())
        {
            var token = db.ApiTokens.Add(ApiTokenRecord.Create(7, " notebook ", UserRole.Member, hash, created, created.AddDays(30)));
            id = token.Id;
            db.ApiTokens.Add(ApiTokenRecord.Create(7, "ci", UserRole.Viewer, new string('b', 64), created, null));
            db.ApiTokens.Add(ApiTokenRecord.Create(8, "other", UserRole.Viewer, new string('c', 64), created, null));
            Assert.Throws<ArgumentException>(() => db.ApiTokens.Add(ApiTokenRecord.Create(9, "same secret", UserRole.Viewer, hash, created, null)));
            Assert.True(db.ApiTokens.MarkUsed(id, created.AddMinutes(5)));
        }

        using var reopened = Open();
        var stored = reopened.ApiTokens.FindByHash(hash)!;
        Assert.Equal((id, 7, "notebook", UserRole.Member), (stored.Id, stored.UserId, stored.Name, stored.Role));
        Assert.Equal((created, created.AddDays(30), created.AddMinutes(5)), (stored.CreatedAtUtc, stored.ExpiresAtUtc!.Value, stored.LastUsedAtUtc!.Value));
        Assert.Null(reopened.ApiTokens.FindByHash(new string('d', 64)));
        Assert.Equal(["ci", "notebook"], reopened.ApiTokens.ForUser(7).Select(t => t.Name));
        Assert.Empty(reopened.ApiTokens.ForUser(99));

        Assert.True(reopened.ApiTokens.Revoke(id, created.AddHours(1)));
        Assert.False(reopened.ApiTokens.Revoke(id, created.AddHours(2)));
        Assert.False(reopened.ApiTokens.Revoke(12345, created));
        Assert.False(reopened.ApiTokens.MarkUsed(12345, created));
        var revoked = reopened.ApiTokens.Get(id)!;
        Assert.Equal(created.AddHours(1), revoked.RevokedAtUtc);
        Assert.False(revoked.IsActive(created));
        Assert.True(reopened.ApiTokens.FindByHash(new string('b', 64))!.IsActive(created.AddYears(5)));
    }

    public abstract void Dispose();
}
