namespace Medvis.Core.Data.Metadata;

/// <summary>How a metadata column is read and drawn.</summary>
public enum MetadataColumnKind
{
    /// <summary>Text values from a small set: a palette with a legend, filtered by the values to include.</summary>
    Categorical,
    /// <summary>Numbers: a colour scale with a colour bar, filtered by a range.</summary>
    Continuous,
}
