using Medvis.Core.Data;
using Medvis.Core.Storage;
using Medvis.Core.Tests.Data;

namespace Medvis.Core.Tests.Maps;

/// <summary>An imported map becomes a finished run of kind Imported, attached to a dataset split or standing alone.</summary>
public sealed class MapImportsTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private static readonly MapImporter Alice = new("alice", 3);

    private static ImageDataset Images(int count) =>
        new("toy", new byte[count * 4], count, 1, 2, 2, Enumerable.Range(0, count).Select(i => i % 3).ToArray(), ["a", "b", "c"]);

    [Fact]
    public void AnAttachedMapTakesTheDatasetsLabelsAndOpensLikeARun()
    {
        using var store = new MedvisDatabase(_dir.File("medvis.db"));
        var dataset = store.Datasets.Add(new DatasetRecord { Name = "toy", Spec = "toy.npz", ImageSize = 28 });
        var run = MapImports.Import(store, new StringReader("index,x,y\n4,1,2\n2,3,4\n"), "tsimcne.csv", "",
            new MapImportTarget(dataset, DatasetSplit.Test, Images(5)), Alice, InputLimits.Default);

        var stored = store.Runs.Get(run.Id)!;
        Assert.Equal((RunKind.Imported, RunStatus.Done, "tsimcne", "toy.npz", DatasetSplit.Test, 3, "alice"),
            (stored.Kind, stored.Status, stored.Name, stored.DatasetSpec, stored.Split, stored.OwnerId, stored.OwnerName));
        Assert.True(stored.HasImages());
        var map = store.Artifacts.LoadResult(run.Id)!;
        Assert.Equal([4, 2], map.DatasetIndices);
        Assert.Equal([1, 2], map.Labels);
        Assert.Equal(["a", "b", "c"], map.ClassNames);
        Assert.Contains(store.Audit.Latest(5), a => a.Action == "imported map" && a.UserName == "alice");
    }

    [Fact]
    public void AStandaloneMapHasNoImagesAndOneClassWithoutLabels()
    {
        using var store = new MedvisDatabase(_dir.File("medvis.db"));
        var run = MapImports.Import(store, new StringReader("0,1,2\n7,3,4\n"), "open.csv", "openTSNE", MapImportTarget.Standalone, Alice, InputLimits.Default);
        Assert.False(store.Runs.Get(run.Id)!.HasImages());
        Assert.Equal([MapImports.UnlabelledClass], store.Artifacts.LoadResult(run.Id)!.ClassNames);
    }

    [Fact]
    public void ARefusedFileStoresNothing()
    {
        using var store = new MedvisDatabase(_dir.File("medvis.db"));
        Assert.Throws<FormatException>(() => MapImports.Import(store, new StringReader("index,x,y\n0,1,2\n9,1,2\n"), "m.csv", "",
            new MapImportTarget(store.Datasets.Add(new DatasetRecord { Name = "toy", Spec = "toy" }), DatasetSplit.Train, Images(5)), Alice, InputLimits.Default));
        Assert.Empty(store.Runs.All());
    }

    public void Dispose() => _dir.Dispose();
}
