using System.Globalization;

namespace Medvis.Core.Quality;

/// <summary>
/// Distances relative to a space's typical one, combined over spaces. Map and feature distances have unrelated
/// units; as ratios they compare, and their geometric mean asks both spaces to agree, so chance closeness in
/// one space alone (2-D maps pack points tightly here and there) does not top a list.
/// </summary>
internal static class RelativeDistance
{
    /// <summary>Ratios below this count as this: identical points would otherwise make the logarithm infinite.</summary>
    private const double Floor = 1e-3;

    /// <summary>The geometric mean of the ratios.</summary>
    public static double Combine(IReadOnlyList<double> ratios) =>
        Math.Exp(ratios.Average(r => Math.Log(Math.Max(r, Floor))));

    /// <summary>"map 0.12×, features 0.05×": each space's ratio, for reasons.</summary>
    public static string Describe(IReadOnlyList<NeighbourSpace> spaces, IReadOnlyList<double> ratios) =>
        string.Join(", ", spaces.Select((s, i) => $"{s.Name} {Times(ratios[i])}"));

    /// <summary>A ratio as "0.12×".</summary>
    public static string Times(double ratio) => ratio.ToString(ratio < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "×";
}
