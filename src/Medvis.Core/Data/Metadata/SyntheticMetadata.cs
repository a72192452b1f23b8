using System.Globalization;
using System.Text;

namespace Medvis.Core.Data.Metadata;

/// <summary>
/// Made-up, HAM10000-shaped metadata (age, sex, body site, diagnosis method) for a dataset's images, seeded, for
/// demos and tests: real patient metadata must never be needed to try the feature. Body site follows the class a
/// little and age drifts with it, so colouring a map by them shows structure; about 3% of ages are missing and some
/// sexes "unknown", as in the real table. <see cref="HamTableCsv"/> also writes the real table's layout, lesion ids
/// (far more than a legend holds) and diagnoses included.
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
            var (age, sex, site, method) = Patient(random, labels[i]);
            csv.Append(CultureInfo.InvariantCulture, $"{(keys is null ? i.ToString(CultureInfo.InvariantCulture) : keys[i])},{age},{sex},{site},{method}\n");
        }
        return csv.ToString();
    }

    /// <summary>
    /// A CSV laid out as HAM10000's <c>HAM10000_metadata.csv</c>: header
    /// <c>lesion_id,image_id,dx,dx_type,age,sex,localization</c>, one row per image. The first
    /// <paramref name="lesions"/> images each show a lesion of their own, every later one a lesion of an earlier image
    /// picked at random, so <c>lesion_id</c> has exactly <paramref name="lesions"/> distinct values (the real table:
    /// 7,470 lesions in 10,015 images).
    /// </summary>
    /// <param name="imageIds">The <c>image_id</c> of each image, e.g. its file name without extension.</param>
    /// <param name="labels">Class of each image, an index into <paramref name="classNames"/>.</param>
    /// <param name="classNames">The <c>dx</c> written for each class.</param>
    /// <param name="lesions">Distinct lesions, from 1 to the number of images.</param>
    /// <param name="seed">Same seed, same table.</param>
    public static string HamTableCsv(IReadOnlyList<string> imageIds, IReadOnlyList<int> labels, IReadOnlyList<string> classNames, int lesions, int seed = 0)
    {
        if (imageIds.Count != labels.Count) throw new ArgumentException($"{imageIds.Count} image ids for {labels.Count} labels.", nameof(imageIds));
        ArgumentOutOfRangeException.ThrowIfLessThan(lesions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lesions, labels.Count);
        var random = new Random(seed);
        var lesionOf = new int[labels.Count];
        var csv = new StringBuilder("lesion_id,image_id,dx,dx_type,age,sex,localization\n");
        for (var i = 0; i < labels.Count; i++)
        {
            lesionOf[i] = i < lesions ? i : lesionOf[random.Next(lesions)];
            var (age, sex, site, method) = Patient(random, labels[i]);
            csv.Append(CultureInfo.InvariantCulture, $"HAM_{lesionOf[i]:D7},{imageIds[i]},{classNames[labels[i]]},{method},{age},{sex},{site}\n");
        }
        return csv.ToString();
    }

    /// <summary>Age ("" when missing), sex, body site and diagnosis method of one image of class <paramref name="label"/>.</summary>
    private static (string Age, string Sex, string Site, string Method) Patient(Random random, int label)
    {
        var age = random.NextDouble() < 0.03 ? "" : (Math.Round(Math.Clamp(35 + 6 * label + 15 * Gaussian(random), 5, 90) / 5) * 5).ToString(CultureInfo.InvariantCulture);
        var sex = random.NextDouble() switch { < 0.02 => "unknown", < 0.53 => "male", _ => "female" };
        var site = random.NextDouble() < 0.6 ? Sites[label % Sites.Length] : Sites[random.Next(Sites.Length)];
        var method = Methods[random.Next(Methods.Length)];
        return (age, sex, site, method);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
