using Medvis.Core.Augmentation;
using Medvis.Core.Runs;
using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Pages;

/// <summary>The run form: presets, every option, validation messages; queues one run, the three augmentation variants or the three stage-1 objectives.</summary>
public partial class NewRun
{
    [Inject] private DatasetService DatasetService { get; set; } = default!;
    [Inject] private RunPlanner Planner { get; set; } = default!;
    [Inject] private RunPresetCatalog Presets { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;

    /// <summary>Preselects a dataset (from a link on the datasets page).</summary>
    [SupplyParameterFromQuery(Name = "dataset")] public int? DatasetId { get; set; }

    internal RunForm Form { get; } = new();
    private IReadOnlyList<DatasetRecord> _datasets = [];
    private IReadOnlyList<ValidationProblem> _problems = [];

    private static IEnumerable<string> AugmentationSets => AugmentationOptions.SetNames.Append(RunForm.Custom);

    protected override void OnInitialized()
    {
        _datasets = DatasetService.All();
        Form.Apply(Presets.Get(RunPresetCatalog.CpuQuick));
        Form.DatasetId = DatasetId ?? _datasets.FirstOrDefault(d => d.Spec == DatasetService.DemoSpec)?.Id ?? _datasets.FirstOrDefault()?.Id;
    }

    /// <summary>The problems with one field, joined for its helper text; null when it has none.</summary>
    private string? ErrorOf(params string[] fields)
    {
        var messages = _problems.Where(p => fields.Contains(p.Field)).Select(p => p.Message).ToList();
        return messages.Count == 0 ? null : string.Join("; ", messages);
    }

    private bool HasError(params string[] fields) => _problems.Any(p => fields.Contains(p.Field));

    private void ApplyPreset(RunPreset preset)
    {
        Form.Apply(preset);
        _problems = [];
    }

    private Task QueueAsync() => SubmitAsync(Planner.Queue);

    private Task QueueComparisonAsync() => SubmitAsync(Planner.QueueAugmentationComparison);

    private Task QueueObjectiveComparisonAsync() => SubmitAsync(Planner.QueueObjectiveComparison);

    private async Task SubmitAsync(Func<Caller, RunRequest, PlanResult> plan)
    {
        var request = Form.ToRequest();
        var caller = await CurrentCaller.GetAsync();
        PlanResult result;
        try
        {
            result = await Task.Run(() => plan(caller, request));
        }
        catch (AccessDeniedException e)
        {
            result = new([], [new ValidationProblem(RunPlanner.DatasetField, e.Message)]);
        }
        _problems = result.Errors;
        if (!result.Succeeded) return;
        Navigation.NavigateTo(result.Runs.Count == 1 ? $"runs/{result.Runs[0].Id}" : "runs");
    }
}
