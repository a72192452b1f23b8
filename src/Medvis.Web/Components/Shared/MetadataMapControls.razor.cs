using Medvis.Core.Data.Metadata;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>What a map is coloured by (class or a metadata column) and the metadata filter on its points.</summary>
/// <param name="ColourBy">The metadata column that colours the map; null colours by class.</param>
/// <param name="Filter">The filter, or null for none.</param>
public sealed record MapMetadataChoice(string? ColourBy, MetadataFilter? Filter);

/// <summary>
/// "Colour by" (class, or a categorical or continuous column) and "filter by" (any column) for a map whose dataset has
/// metadata: categories to include, a range, or for an identifier column the text its values must contain.
/// </summary>
public partial class MetadataMapControls
{
    private const string ClassChoice = "";
    private const string NoFilter = "";

    [Parameter, EditorRequired] public DatasetMetadata Metadata { get; set; } = default!;
    [Parameter] public EventCallback<MapMetadataChoice> Changed { get; set; }

    private string _colourBy = ClassChoice;
    private string _filterColumn = NoFilter;
    private HashSet<string> _included = [];
    private double? _min;
    private double? _max;
    private string _contains = "";

    private MetadataColumn? FilterColumn => _filterColumn.Length == 0 ? null : Metadata.Column(_filterColumn);

    private static IEnumerable<string> CategoriesOf(MetadataColumn column) => [.. column.Categories, MetadataColouring.Missing];

    private Task OnColourByChanged(string value)
    {
        _colourBy = value ?? ClassChoice;
        return ReportAsync();
    }

    private Task OnFilterColumnChanged(string value)
    {
        _filterColumn = value ?? NoFilter;
        if (FilterColumn is { } column)
        {
            _included = CategoriesOf(column).ToHashSet();
            _contains = "";
            (_min, _max) = column.Kind == MetadataColumnKind.Continuous && column.Range() is var (min, max) && !double.IsNaN(min) ? (min, max) : ((double?)null, (double?)null);
        }
        return ReportAsync();
    }

    private Task ToggleAsync(string category, bool on)
    {
        if (on) _included.Add(category);
        else _included.Remove(category);
        return ReportAsync();
    }

    private Task SearchAsync(string? text)
    {
        _contains = text ?? "";
        return ReportAsync();
    }

    private Task SetRangeAsync(double? min, double? max)
    {
        (_min, _max) = (min, max);
        return ReportAsync();
    }

    private Task ReportAsync()
    {
        var filter = FilterColumn switch
        {
            null => null,
            { Kind: MetadataColumnKind.Categorical } => new MetadataFilter(_filterColumn, _included.ToHashSet()),
            { Kind: MetadataColumnKind.Identifier } => new MetadataFilter(_filterColumn, Contains: _contains),
            _ => new MetadataFilter(_filterColumn, Min: _min, Max: _max),
        };
        return Changed.InvokeAsync(new MapMetadataChoice(_colourBy.Length == 0 ? null : _colourBy, filter));
    }
}
