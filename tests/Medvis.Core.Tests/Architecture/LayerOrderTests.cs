using System.Reflection;
using NetArchTest.Rules;

namespace Medvis.Core.Tests.Architecture;

/// <summary>
/// The folders of Medvis.Core in the order data flows through them; a folder may use folders of earlier layers
/// only. Training and Evaluation share a layer and use each other (the trainer scores its snapshots with kNN; model
/// probes run a trained model). Adding a `using` of a later layer fails here, naming the types.
/// </summary>
public class LayerOrderTests
{
    private static readonly string[][] Layers =
    [
        ["Data", "Compute", "Models"],
        ["Augmentation"],
        ["Training", "Evaluation"],
        ["Comparison", "Similarity", "Maps", "Quality"],
        ["Runs"],
        ["Storage"],
        ["Lab"],
        ["Telemetry"],
    ];

    /// <summary>Folders of one layer that may use each other.</summary>
    private static readonly HashSet<(string, string)> AllowedWithinLayer = [("Training", "Evaluation"), ("Evaluation", "Training")];

    private static readonly Assembly Core = typeof(Medvis.Core.Runs.MapRunPipeline).Assembly;

    public static TheoryData<string> Folders() => [.. Layers.SelectMany(layer => layer)];

    [Theory]
    [MemberData(nameof(Folders))]
    public void AFolderUsesNoFolderOfALaterLayerNorAnUnrelatedOneOfItsOwn(string folder)
    {
        var forbidden = Forbidden(folder).Select(f => $"Medvis.Core.{f}").ToArray();
        var result = Types.InAssembly(Core).That().ResideInNamespace($"Medvis.Core.{folder}")
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{folder} uses a later layer ({string.Join(", ", forbidden)}): {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void EveryFolderOfTheCoreIsInTheLayerOrder()
    {
        var known = Layers.SelectMany(layer => layer).ToHashSet();
        var folders = Core.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("Medvis.Core.", StringComparison.Ordinal))
            .Select(n => n.Split('.')[2]).ToHashSet();
        Assert.Empty(folders.Except(known));
    }

    [Fact]
    public void TheRuleCatchesABackwardDependency()
    {
        // The trainer's own namespace depends on Compute (an earlier layer): forbidding Compute must fail,
        // which shows the rule sees `using` dependencies at all.
        var result = Types.InAssembly(Core).That().ResideInNamespace("Medvis.Core.Training")
            .ShouldNot().HaveDependencyOnAny("Medvis.Core.Compute").GetResult();
        Assert.False(result.IsSuccessful);
        Assert.Contains(result.FailingTypeNames, name => name.StartsWith("Medvis.Core.Training.TSimCneTrainer", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Forbidden(string folder)
    {
        var rank = Array.FindIndex(Layers, layer => layer.Contains(folder));
        for (var later = rank; later < Layers.Length; later++)
            foreach (var other in Layers[later])
                if (other != folder && !(later == rank && AllowedWithinLayer.Contains((folder, other))))
                    yield return other;
    }
}
