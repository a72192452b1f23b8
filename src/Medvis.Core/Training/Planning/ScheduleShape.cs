namespace Medvis.Core.Training.Planning;

/// <summary>
/// How a time budget is split over the three stages: epoch proportions and the stage-3 learning rate as a fraction
/// of the base rate. A planner scales the proportions to the budget.
/// </summary>
/// <param name="Name">"reference" or "cpu".</param>
/// <param name="Proportions">Relative epochs of stages 1, 2 and 3.</param>
/// <param name="FineTuneRateFraction">Stage 3's rate as a fraction of the base rate; null for the automatic rule of <see cref="TrainingOptions.FineTuneLearningRate"/>.</param>
public sealed record ScheduleShape(string Name, int[] Proportions, double? FineTuneRateFraction)
{
    /// <summary>The paper's 1000 : 50 : 450 with stage 3 at lr/1000 for its 450 epochs (scaled up for shorter ones).</summary>
    public static ScheduleShape Reference { get; } = new("reference", [1000, 50, 450], null);

    /// <summary>
    /// The schedule measured best on 2 CPU cores (blood cells, 11,964 images: 87.9–89.1% kNN in 30–42 minutes):
    /// 70 : 5 : 90, stage 3 at a tenth of the base rate. With short runs a longer, faster stage 3 is what turns
    /// the 128-d features into a good 2-D map; the reference's lr/1000 barely moves it.
    /// </summary>
    public static ScheduleShape Cpu { get; } = new("cpu", [70, 5, 90], 0.1);

    /// <summary>The shapes by name.</summary>
    public static IReadOnlyList<ScheduleShape> All { get; } = [Cpu, Reference];

    /// <summary>The shape called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">An unknown name, listing the known ones.</exception>
    public static ScheduleShape Get(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown schedule shape '{name}': use {string.Join(", ", All.Select(s => s.Name))}.");
}
