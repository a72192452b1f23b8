namespace Medvis.Core.Data.LabelTables;

/// <summary>An image the table gives a class: its position in the folder's file list, its class and group, and its row.</summary>
/// <param name="File">Index into the file list the table was matched against.</param>
/// <param name="Label">The label column's text.</param>
/// <param name="Group">The group column's text; null without a group column or when the cell is empty.</param>
/// <param name="Row">Index of its row in the table.</param>
public sealed record LabelledImage(int File, string Label, string? Group, int Row);
