using System.Globalization;
using System.Text;

namespace Medvis.Core.Data.Metadata;

/// <summary>
/// Made-up, HAM10000-shaped metadata (age, sex, body site, diagnosis method) for a dataset's images, seeded, for
/// demos and tests: real patient metadata must never be needed to try the feature. Body site follows the class a
/// little and age drifts with it, so colouring a map by them shows structure; about 3% of ages are missing and some
/// sexes "unknown", as in the real table.
/// </summary>
public static class SyntheticMetadata
{
    private static readonly string[] Sites = ["back", "lower extremity", "trunk", "upper extremity", "abdomen", "face", "chest", "scalp"];
    private static readonly string[] Methods = ["histo", "follow_up", "consensus", "confocal"];

    /// <summary>A CSV with header <c>image_index,age,sex,localization,dx_type</c> and one row per image.</summary>
    /// <param name="labels">Class of each image (index = image index).</param>
    /// <param name="seed">Same seed, same table.</param>
    /// <param name="keys">The key written per image (default: its index); e.g. file names for a folder dataset.</param>
    public static string HamStyleCsv(IReadOnlyList<int> labels, int seed = 0, IReadOnlyList<string>? keys = null)
    {
        var random = new Random(seed);
        var csv = new StringBuilder(keys is null ? "image_index" : "image_id").Append(",age,sex,localization,dx_type\n");
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            var age = random.NextDouble() < 0.03 ? "" : (Math.Round(Math.Clamp(35 + 6 * label + 15 * Gaussian(random), 5, 90) / 5) * 5).ToString(CultureInfo.InvariantCulture);
            var sex = random.NextDouble() switch { < 0.02 => "unknown", < 0.53 => "male", _ => "female" };
            var site = random.NextDouble() < 0.6 ? Sites[label % Sites.Length] : Sites[random.Next(Sites.Length)];
            var method = Methods[random.Next(Methods.Length)];
            csv.Append(CultureInfo.InvariantCulture, $"{(keys is null ? i.ToString(CultureInfo.InvariantCulture) : keys[i])},{age},{sex},{site},{method}\n");
        }
        return csv.ToString();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
