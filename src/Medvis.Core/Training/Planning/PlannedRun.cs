using System.Diagnostics;

namespace Medvis.Core.Training.Planning;

/// <summary>
/// A budget run while it trains: the plan in force, the time left, and the epochs measured since the last
/// (re-)plan. When a stage's steady epoch time drifts more than <see cref="DriftTolerance"/> from the plan, the
/// remaining epochs are refitted to the time left (<see cref="SchedulePlanner.Replan"/>), so the run still ends on time.
/// </summary>
public sealed class PlannedRun
{
    /// <summary>How far the measured epoch time may stray from the plan's before re-planning (15%).</summary>
    public const double DriftTolerance = 0.15;

    /// <summary>Epochs of a stage measured before its speed is trusted, and between two re-plans: the first of a stage pays for warm-up.</summary>
    public const int EpochsBeforeJudging = 5;

    /// <summary>
    /// Steady epochs the speed is judged over. Epoch times wander by ±15% on a quiet machine; over the ETA's five
    /// epochs a 30-minute blood-cell run re-planned four times in stage 1 and its learning-rate schedule jumped with each.
    /// </summary>
    public const int JudgingWindow = 10;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _trainingSeconds;
    private readonly List<double> _stageSeconds = [];
    private int _currentStage, _sinceReplan;

    /// <summary>Starts the clock of a run that has <paramref name="trainingSeconds"/> for its epochs under <paramref name="plan"/>.</summary>
    public PlannedRun(SchedulePlan plan, double trainingSeconds)
    {
        Plan = plan ?? throw new ArgumentNullException(nameof(plan));
        _trainingSeconds = trainingSeconds;
    }

    /// <summary>The plan in force.</summary>
    public SchedulePlan Plan { get; private set; }

    /// <summary>How many times the run re-planned.</summary>
    public int Replans { get; private set; }

    /// <summary>Seconds left for the epochs (negative when past the deadline).</summary>
    public double RemainingSeconds => _trainingSeconds - _clock.Elapsed.TotalSeconds;

    /// <summary>
    /// Records an epoch of <paramref name="stage"/> that trained for <paramref name="seconds"/> (snapshots and checkpoints
    /// excluded: the deadline accounts for them) and returns the new plan when the run must re-plan, else null.
    /// </summary>
    /// <param name="stage">The epoch's stage (1–3).</param>
    /// <param name="seconds">Its training time.</param>
    /// <param name="globalEpochsDone">Epochs trained so far, over all stages, this one included.</param>
    public SchedulePlan? Observe(int stage, double seconds, int globalEpochsDone)
    {
        if (stage != _currentStage) { _stageSeconds.Clear(); _currentStage = stage; _sinceReplan = 0; }
        if (!double.IsFinite(seconds) || seconds < 0) return null;
        _stageSeconds.Add(seconds);
        _sinceReplan++;
        var epochsLeft = Plan.EpochsPerStage.Sum() - globalEpochsDone;
        if (_sinceReplan < EpochsBeforeJudging || epochsLeft < 2) return null;
        var steady = TrainingEta.Steady(_stageSeconds, JudgingWindow)!.Value * (1 + SchedulePlanner.EpochOverheadFraction);
        if (!SchedulePlanner.Drifted(Plan, stage, steady, DriftTolerance)) return null;
        var next = SchedulePlanner.Replan(Plan, globalEpochsDone, stage, steady, RemainingSeconds);
        _sinceReplan = 0;
        if (next.EpochsPerStage.SequenceEqual(Plan.EpochsPerStage))
        {
            // Same epochs at the measured speed: adopt the costs so the next check judges against them.
            Plan = next with { Reason = Plan.Reason };
            return null;
        }
        Plan = next;
        Replans++;
        return next;
    }
}
