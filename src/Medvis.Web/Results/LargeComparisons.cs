using System.Collections;
using Medvis.Core.Comparison;
using Medvis.Core.Maps;
using Medvis.Web.Auth;
using Microsoft.Extensions.Caching.Memory;

namespace Medvis.Web.Results;

/// <summary>
/// A comparison of maps too large for Plotly, built in two steps so the page can draw at once: the alignment (shared
/// images, Procrustes, in a fraction of a second) is ready when this object exists; the neighbourhoods (each image's
/// 15 nearest in every map, through a grid: seconds for a million points) arrive later in <see cref="Neighbourhoods"/>.
/// Hover and lasso are answered by a <see cref="PointGrid"/> per map over its aligned coordinates, and the page reads
/// points and overlays as binary columns, so no per-point object crosses the circuit.
/// </summary>
public sealed class LargeComparison
{
    private readonly Lazy<PointGrid>[] _indices;
    private readonly Lazy<Task<MapComparison>> _neighbourhoods;

    /// <summary>
    /// Most images × maps whose neighbours are searched (4 maps of a million, 2 of two million): about a minute on two
    /// busy cores and a gigabyte of neighbour lists. Past it the maps, hover and lasso still work; the page says what
    /// is not computed instead of holding the machine for many minutes.
    /// </summary>
    public const long MaxNeighbourSearchPoints = 4_000_000;

    internal LargeComparison(IReadOnlyList<(RunRecord Run, RunResult Result)> runs, MapAlignment alignment, long maxNeighbourSearchPoints = MaxNeighbourSearchPoints)
    {
        Runs = runs.Select(r => r.Run).ToList();
        Alignment = alignment;
        var first = runs[0].Result;
        Labels = alignment.Shared.PointsOfMap[0].Select(p => first.Labels[p]).ToArray();
        ClassNames = first.ClassNames;
        _indices = alignment.Maps.Select(m => new Lazy<PointGrid>(() => PointGrid.Build(m.X, m.Y))).ToArray();
        var searched = (long)alignment.Shared.Count * alignment.Maps.Count;
        _neighbourhoods = new Lazy<Task<MapComparison>>(() => Task.Run(() =>
        {
            if (searched > maxNeighbourSearchPoints)
                throw new ArgumentException($"{alignment.Shared.Count:N0} images × {alignment.Maps.Count} maps is over the {maxNeighbourSearchPoints:N0} whose neighbours are searched; "
                    + "compare fewer maps, or open each on its own page. The aligned maps, hover and lasso are not limited.");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var found = MapComparison.Of(alignment);
            NeighbourSeconds = clock.Elapsed.TotalSeconds;
            return found;
        }));
    }

    /// <summary>How long the neighbour searches took (0 until they end).</summary>
    public double NeighbourSeconds { get; private set; }

    /// <summary>The runs in the order asked for; the first is the reference.</summary>
    public IReadOnlyList<RunRecord> Runs { get; }

    /// <summary>Shared images and each map's aligned coordinates (shared order).</summary>
    public MapAlignment Alignment { get; }

    /// <summary>Class of each shared image (the first run's labels).</summary>
    public int[] Labels { get; }

    /// <summary>The first run's class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Images every compared map shows.</summary>
    public int SharedCount => Alignment.Shared.Count;

    /// <summary>
    /// The full comparison (neighbourhoods, Jaccard to the first map) once the neighbour searches end; the first call
    /// starts them. A page starts them once its maps are drawn: on a busy machine they take all cores for a while, and
    /// the first picture comes first.
    /// </summary>
    public Task<MapComparison> Neighbourhoods => _neighbourhoods.Value;

    /// <summary>The neighbourhoods when their search has finished, else null (does not start it).</summary>
    public MapComparison? NeighbourhoodsIfReady =>
        _neighbourhoods.IsValueCreated && _neighbourhoods.Value.IsCompletedSuccessfully ? _neighbourhoods.Value.Result : null;

    /// <summary>Image URL of shared image <paramref name="shared"/> as map <paramref name="map"/>'s run serves it.</summary>
    public string ImageUrl(int map, int shared, int scale) =>
        $"api/runs/{Runs[map].Id}/images/{Alignment.Shared.PointsOfMap[map][shared]}.png?scale={scale}";

    /// <summary>Map <paramref name="map"/>'s aligned points and the shared labels, in <see cref="LargeMaps.Columns"/>' format.</summary>
    public byte[] PointColumns(int map) =>
        LargeMaps.Columns(Alignment.Maps[map].X, Alignment.Maps[map].Y, Labels, ClassNames.Count);

    /// <summary>
    /// Per shared image one byte, the neighbourhood kept in map <paramref name="map"/> (Jaccard of its nearest
    /// neighbours with those in the first map) times 255; for the first map, the mean over the others. Null until
    /// <see cref="Neighbourhoods"/> has finished.
    /// </summary>
    public byte[]? KeptColumn(int map)
    {
        if (NeighbourhoodsIfReady is not { } found) return null;
        var maps = found.Maps;
        var bytes = new byte[SharedCount];
        for (var i = 0; i < bytes.Length; i++)
        {
            var kept = map > 0 ? maps[map].JaccardToFirst[i] : maps.Skip(1).Average(m => m.JaccardToFirst[i]);
            bytes[i] = (byte)Math.Round(Math.Clamp(kept, 0, 1) * 255);
        }
        return bytes;
    }

    /// <summary>The shared image nearest to (<paramref name="x"/>, <paramref name="y"/>) in map <paramref name="map"/> within <paramref name="radius"/>, or null.</summary>
    public HoveredPoint? Nearest(int map, double x, double y, double radius, IReadOnlySet<int>? hiddenClasses = null) =>
        LargeMaps.Nearest(_indices[map].Value, Alignment.Maps[map].X, Alignment.Maps[map].Y, Labels, x, y, radius, hiddenClasses);

    /// <summary>The shared images inside a lasso drawn in map <paramref name="map"/>, ascending, leaving out hidden classes.</summary>
    public int[] InLasso(int map, IReadOnlyList<double> xs, IReadOnlyList<double> ys, IReadOnlySet<int>? hiddenClasses = null) =>
        LargeMaps.InLasso(_indices[map].Value, Labels, xs, ys, hiddenClasses);

    /// <summary>Builds every map's index ahead of the first hover.</summary>
    public void Prepare()
    {
        foreach (var index in _indices) _ = index.Value;
    }

    /// <summary>The selection as a bit per shared image (bit i%8 of byte i/8), what the page greys the others by.</summary>
    public byte[] SelectionBits(IReadOnlyCollection<int> selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var bits = new BitArray(SharedCount);
        foreach (var i in selection)
            if (i >= 0 && i < SharedCount) bits[i] = true;
        var bytes = new byte[(SharedCount + 7) / 8];
        bits.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>
    /// How each map keeps the selection together (null per map until the neighbourhoods are known) and a
    /// class-stratified preview of it.
    /// </summary>
    public ComparedSelection Describe(IReadOnlyCollection<int> selection, int previewSize)
    {
        var valid = selection.Where(i => i >= 0 && i < SharedCount).Distinct().ToArray();
        IReadOnlyList<double?> cohesion = NeighbourhoodsIfReady is { } found
            ? found.Maps.Select(m => NeighbourhoodChange.Cohesion(m.Neighbourhoods, valid)).ToList()
            : Runs.Select(_ => (double?)null).ToList();
        return new ComparedSelection(valid.Length, cohesion, SelectionSample.Draw(valid, i => Labels[i], previewSize));
    }

    /// <summary>
    /// Per class (the first run's classes), the mean share of its images' nearest neighbours of the same class in
    /// every map, and each later map's change from the first: per-class deltas that need no stored metrics (imported
    /// maps have none) and cost O(n·k) once the neighbourhoods are known.
    /// </summary>
    public IReadOnlyList<ClassComparisonRow> ClassAgreementRows(MapComparison neighbourhoods)
    {
        ArgumentNullException.ThrowIfNull(neighbourhoods);
        var perMap = neighbourhoods.Maps.Select(m => NeighbourhoodChange.ClassAgreement(m.Neighbourhoods, Labels, ClassNames.Count)).ToArray();
        return ClassNames.Select((name, c) => new ClassComparisonRow(name,
            perMap.Select(values => values[c]).ToArray(),
            perMap.Skip(1).Select(values => values[c] - perMap[0][c]).ToArray())).ToList();
    }
}

/// <summary>Opens comparisons of large maps (see <see cref="LargeComparison"/>), cached per run list.</summary>
public sealed class LargeComparisons(RunComparisons comparisons, IMemoryCache cache)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The comparison of runs <paramref name="runIds"/> for <paramref name="caller"/> (the same checks as small
    /// comparisons), or the one-line reason there is none.
    /// </summary>
    public async Task<(LargeComparison? Comparison, string? Problem)> OpenAsync(Caller caller, IReadOnlyList<int> runIds)
    {
        var (runs, problem) = comparisons.Check(caller, runIds);
        if (runs is null) return (null, problem);
        var key = ("large-comparison", string.Join(',', runIds));
        if (cache.TryGetValue(key, out LargeComparison? cached)) return (cached, null);
        try
        {
            var comparison = await Task.Run(() => new LargeComparison(runs, MapAlignment.Of(runs.Select(r => new IndexedMap(r.Result.X, r.Result.Y, r.Result.DatasetIndices)).ToList())));
            return (cache.Set(key, comparison, CacheLifetime), null);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
    }

}
