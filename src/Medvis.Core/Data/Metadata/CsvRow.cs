namespace Medvis.Core.Data.Metadata;

/// <summary>One data row of a <see cref="CsvTable"/>: trimmed cells, one per column, and the line it starts on.</summary>
public sealed record CsvRow(IReadOnlyList<string> Cells, int Line);
