namespace Medvis.Core.Training;

/// <summary>One reason a setting cannot be used, tied to the setting it concerns so a form can show it beside that field.</summary>
/// <param name="Field">The setting's name: a <see cref="TrainingOptions"/> property, or a run setting such as "MaxImages" or "Dataset".</param>
/// <param name="Message">What is wrong, as one lower-case clause ("batch size 1 must be between 4 and 65536").</param>
public sealed record ValidationProblem(string Field, string Message);

/// <summary>Settings that cannot be used, with every reason; the message lists them all on one line.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<ValidationProblem> problems)
    : ArgumentException("Invalid training options: " + string.Join("; ", problems.Select(p => p.Message)) + ".")
{
    /// <summary>Every problem, field by field.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}
