using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Pages;

/// <summary>Landing page: says the app is up and links to the main tasks.</summary>
public partial class Home
{
    [Inject] private MedvisDatabase Database { get; set; } = default!;

    private int _datasets;
    private int _runs;

    protected override void OnInitialized()
    {
        _datasets = Database.Datasets.All().Count;
        _runs = Database.Runs.All().Count;
    }
}
