namespace Medvis.Core.Maps;

/// <summary>Class colours shared by every view (map, grid frames, bars, snapshots): tab10, then tab20's light tones.</summary>
public static class ClassPalette
{
    private static readonly string[] Colors =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
    ];

    public static string Of(int classIndex) => Colors[((classIndex % Colors.Length) + Colors.Length) % Colors.Length];
}
