namespace Medvis.Core.Maps.Export;

/// <summary>A column of per-point text the exported map's hover shows ("" for no value).</summary>
public sealed record ExportHoverColumn(string Name, IReadOnlyList<string> Texts);
