namespace Medvis.Core.Data.Metadata;

/// <summary>How a metadata column is read and drawn.</summary>
public enum MetadataColumnKind
{
    /// <summary>Text values from a small set: a palette with a legend, filtered by the values to include.</summary>
    Categorical,
    /// <summary>Numbers: a colour scale with a colour bar, filtered by a range.</summary>
    Continuous,
    /// <summary>
    /// Text with more distinct values than a legend can hold (one per lesion or patient, say): shown with a point's
    /// other values and searched by the text a value contains, but never used to colour a map.
    /// </summary>
    Identifier,
}
