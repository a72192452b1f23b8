using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Medvis.Web.Components.Shared;

/// <summary>A read-only link with a copy button that says whether the copy worked.</summary>
public partial class CopyableLink
{
    [Inject] private IJSRuntime Js { get; set; } = default!;

    /// <summary>The link.</summary>
    [Parameter, EditorRequired] public string Url { get; set; } = "";

    /// <summary>The field's test id; the button's is <c>copy-</c> and the same.</summary>
    [Parameter] public string TestId { get; set; } = "link";

    private bool? _copied;

    protected override void OnParametersSet() => _copied = null;

    private async Task CopyAsync()
    {
        try
        {
            _copied = await Js.InvokeAsync<bool>("medvis.copyText", Url);
        }
        catch (JSException)
        {
            _copied = false;
        }
    }
}
