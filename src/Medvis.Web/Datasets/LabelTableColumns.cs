namespace Medvis.Web.Datasets;

/// <summary>The columns of a label table, for the registration form's pickers, or a one-line message for the user.</summary>
/// <param name="Path">The table's canonical path.</param>
/// <param name="Columns">Column names, in file order.</param>
/// <param name="DefaultKey">The column the key is taken from unless another is picked.</param>
/// <param name="Rows">Data rows.</param>
/// <param name="Error">Why the columns could not be read; null when they were.</param>
public sealed record LabelTableColumns(string Path, IReadOnlyList<string> Columns, string DefaultKey, int Rows, string? Error)
{
    /// <summary>A table that could not be read.</summary>
    public static LabelTableColumns Failed(string error) => new("", [], "", 0, error);
}
