using Medvis.Core.Comparison;
using Medvis.Core.Evaluation;
using Medvis.Web.Auth;
using Microsoft.Extensions.Caching.Memory;

namespace Medvis.Web.Results;

/// <summary>One run of a comparison: its record, its numbers and its map over the shared images, aligned to the first run's.</summary>
/// <param name="Run">The run.</param>
/// <param name="Metrics">Its metrics panels' numbers; null when none are stored.</param>
/// <param name="Map">Its shared points aligned to the first run, with neighbourhood change and displacement.</param>
/// <param name="PointIndices">Per shared image, the run's own map point index (what its image URLs take).</param>
/// <param name="Delta">How its metrics differ from the first run's; null for the first run or where either has none.</param>
public sealed record ComparedRun(RunRecord Run, RunMetrics? Metrics, AlignedMap Map, int[] PointIndices, MetricsDelta? Delta);

/// <summary>What a selection looks like across the compared maps.</summary>
/// <param name="Count">Shared images selected.</param>
/// <param name="CohesionPerRun">Per run, how together its map keeps the selection (see <see cref="NeighbourhoodChange.Cohesion"/>).</param>
/// <param name="Preview">The shared indices the preview shows and how they were drawn.</param>
public sealed record ComparedSelection(int Count, IReadOnlyList<double?> CohesionPerRun, SampledSelection Preview);

/// <summary>2–4 finished runs of the same images, matched by dataset index and aligned to the first.</summary>
/// <param name="Runs">The runs in the order asked for; the first is the reference.</param>
/// <param name="DatasetIndices">Dataset index of each shared image, ascending (the shared order every map uses).</param>
/// <param name="Labels">Class of each shared image (the first run's labels).</param>
/// <param name="ClassNames">The first run's class names.</param>
/// <param name="Maps">The Core comparison behind the runs' maps.</param>
public sealed record RunComparison(IReadOnlyList<ComparedRun> Runs, int[] DatasetIndices, int[] Labels, IReadOnlyList<string> ClassNames, MapComparison Maps)
{
    /// <summary>Images every compared map shows.</summary>
    public int SharedCount => DatasetIndices.Length;

    /// <summary>Image URL of shared image <paramref name="shared"/> as run <paramref name="run"/> (a position in <see cref="Runs"/>) serves it.</summary>
    public string ImageUrl(int run, int shared, int scale) =>
        $"api/runs/{Runs[run].Run.Id}/images/{Runs[run].PointIndices[shared]}.png?scale={scale}";

    /// <summary>The <paramref name="count"/> shared images that moved farthest between the first run and run <paramref name="run"/>.</summary>
    public IReadOnlyList<MovedImage> MovedMost(int run, int count) => Maps.MovedMost(run, count);

    /// <summary>
    /// Per class, kNN recall in every run and the change from the first run; classes in the first run's order, then
    /// classes only later runs have (matched by name).
    /// </summary>
    public IReadOnlyList<ClassComparisonRow> ClassRows()
    {
        var recallOf = Runs.Select(r => r.Metrics is { } m
            ? m.ClassNames.Select((name, c) => (name, c)).GroupBy(x => x.name).ToDictionary(g => g.Key, g => m.KnnRecallPerClass[g.First().c])
            : []).ToList();
        var names = Runs.SelectMany(r => r.Metrics?.ClassNames ?? []).Distinct();
        return names.Select(name =>
        {
            var recall = recallOf.Select(lookup => lookup.GetValueOrDefault(name)).ToArray();
            var deltas = Runs.Skip(1).Select(r => r.Delta?.Classes.FirstOrDefault(c => c.Name == name)?.KnnRecallDelta).ToArray();
            return new ClassComparisonRow(name, recall, deltas);
        }).ToList();
    }

    /// <summary>How each map keeps the selected shared images together, and a stratified preview of them.</summary>
    public ComparedSelection Describe(IReadOnlyCollection<int> selection, int previewSize)
    {
        var valid = selection.Where(i => i >= 0 && i < SharedCount).Distinct().ToArray();
        return new ComparedSelection(valid.Length,
            Runs.Select(r => NeighbourhoodChange.Cohesion(r.Map.Neighbourhoods, valid)).ToList(),
            SelectionSample.Draw(valid, i => Labels[i], previewSize));
    }
}

/// <summary>One class's kNN recall in every compared run and its change from the first run.</summary>
/// <param name="Name">Class name.</param>
/// <param name="KnnRecall">Per run (in comparison order); null where undefined or the run has no metrics.</param>
/// <param name="DeltaToFirst">Per run after the first, its recall minus the first run's; null unless both are defined.</param>
public sealed record ClassComparisonRow(string Name, double?[] KnnRecall, double?[] DeltaToFirst);

/// <summary>A comparison, or the one-line reason there is none.</summary>
public sealed record ComparisonOutcome(RunComparison? Comparison, string? Problem);

/// <summary>Builds comparisons of finished runs (alignment and neighbour searches take seconds on large maps), cached per run list.</summary>
public sealed class RunComparisons(RunResults results, IMemoryCache cache)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Fewest and most runs one comparison shows.</summary>
    public const int MinRuns = 2, MaxRuns = 4;

    /// <summary>
    /// Compares the runs <paramref name="runIds"/> (the first is the reference) for <paramref name="caller"/>: each must
    /// be a finished run the caller may read, and all must map the same dataset split.
    /// </summary>
    public async Task<ComparisonOutcome> CompareAsync(Caller caller, IReadOnlyList<int> runIds)
    {
        var (runs, problem) = Check(caller, runIds);
        if (runs is null) return Problem(problem!);
        var key = ("comparison", string.Join(',', runIds));
        if (cache.TryGetValue(key, out RunComparison? cached)) return new ComparisonOutcome(cached, null);
        try
        {
            var comparison = await Task.Run(() => Build(runs));
            return new ComparisonOutcome(cache.Set(key, comparison, CacheLifetime), null);
        }
        catch (ArgumentException e)
        {
            return Problem(e.Message);
        }
    }

    /// <summary>
    /// The runs <paramref name="runIds"/> when <paramref name="caller"/> may compare them (2–4 finished runs the caller
    /// may read, all of one dataset split), else the one-line reason; shared by small and large comparisons.
    /// </summary>
    public (IReadOnlyList<(RunRecord Run, RunResult Result)>? Runs, string? Problem) Check(Caller caller, IReadOnlyList<int> runIds)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        if (runIds.Count is < MinRuns or > MaxRuns) return (null, $"Pick {MinRuns} to {MaxRuns} finished runs.");
        var runs = new List<(RunRecord Run, RunResult Result)>();
        foreach (var id in runIds)
        {
            if (!AccessRules.CanRead(caller, id) || results.Run(id) is not { Status: RunStatus.Done } run || results.Result(id) is not { } result)
                return (null, $"Run #{id} is not a finished run you can open.");
            runs.Add((run, result));
        }
        return DifferentImages(runs.Select(r => r.Run).ToList()) is { } difference ? (null, difference) : (runs, null);
    }

    private RunComparison Build(IReadOnlyList<(RunRecord Run, RunResult Result)> runs)
    {
        var maps = MapComparison.Of(runs.Select(r => new IndexedMap(r.Result.X, r.Result.Y, r.Result.DatasetIndices)).ToList());
        var reports = runs.Select(r => results.MetricsReport(r.Run.Id)).ToList();
        var compared = runs.Select((r, i) => new ComparedRun(r.Run, results.Metrics(r.Run.Id), maps.Maps[i], maps.Shared.PointsOfMap[i],
            i > 0 && reports[0] is { } reference && reports[i] is { } other ? MetricsDelta.Between(reference, other) : null)).ToList();
        var first = runs[0].Result;
        return new RunComparison(compared, maps.Shared.DatasetIndices, maps.Shared.PointsOfMap[0].Select(p => first.Labels[p]).ToArray(),
            first.ClassNames, maps);
    }

    /// <summary>Why the runs do not map the same images, or null when they do (same dataset source and split).</summary>
    private static string? DifferentImages(IReadOnlyList<RunRecord> runs)
    {
        var first = runs[0];
        var other = runs.Skip(1).FirstOrDefault(r => r.DatasetSpec != first.DatasetSpec || r.Split != first.Split);
        return other is null ? null
            : $"Runs #{first.Id} ({first.DatasetName}, {first.Split}) and #{other.Id} ({other.DatasetName}, {other.Split}) map different images; compare runs of one dataset split.";
    }

    private static ComparisonOutcome Problem(string message) => new(null, message);
}
