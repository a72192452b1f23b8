using System.Text.Json;

namespace Medvis.Core.Training;

/// <summary>Serialises <see cref="TrainingOptions"/> for storage; one place so every reader agrees.</summary>
public static class TrainingOptionsJson
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static string Serialize(TrainingOptions options) => JsonSerializer.Serialize(options, Json);

    /// <summary>Reads options written by <see cref="Serialize"/>; missing members take their defaults.</summary>
    public static TrainingOptions Deserialize(string json) =>
        JsonSerializer.Deserialize<TrainingOptions>(json, Json) ?? new TrainingOptions();
}
