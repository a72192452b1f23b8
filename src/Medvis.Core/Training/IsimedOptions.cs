namespace Medvis.Core.Training;

/// <summary>How <see cref="IsimedLoss"/> penalises the difference between a latent and a physical distance.</summary>
public enum IsimedPenalty
{
    /// <summary>(d_latent − d_physical)², the mean squared error of the two distance matrices.</summary>
    Squared,
    /// <summary>|d_latent − d_physical|, less pulled by the few far-apart pairs.</summary>
    Absolute,
}

/// <summary>What the physical distance between two crop centres is measured in.</summary>
public enum IsimedDistanceUnit
{
    /// <summary>Pixels divided by the image's longer side, so distances lie in 0..√2 whatever the image size.</summary>
    ImageSide,
    /// <summary>Plain pixels; latent distances then grow with the image size.</summary>
    Pixels,
}

/// <summary>
/// Settings of the ISImed objective (Jabareen, Yuan, Lukassen): from each image, <see cref="CropsPerImage"/> crops of
/// one size at random positions; the pairwise latent distances of their embeddings are pulled towards the pairwise
/// physical distances of their centres.
/// </summary>
/// <remarks>
/// Defaults fit 28-px images: a crop of half the side (14 px) leaves its centre 14 px of travel per axis, so crops
/// overlap at most partly and still show enough of the image to be recognised; 4 crops give 6 pairs per image.
/// Larger images can take smaller crops (a quarter of the side for 128 px and up keeps 32-px crops).
/// </remarks>
public sealed record IsimedOptions
{
    /// <summary>Crops sampled from each image per step (at least 2: the loss is over pairs).</summary>
    public int CropsPerImage { get; init; } = 4;
    /// <summary>Side of a crop as a fraction of the image's side, in (0, 1); crops are resampled to the image size for the network.</summary>
    public double CropFraction { get; init; } = 0.5;
    /// <summary>The unit of physical distances; <see cref="IsimedDistanceUnit.ImageSide"/> makes them relative to the image size.</summary>
    public IsimedDistanceUnit DistanceUnit { get; init; } = IsimedDistanceUnit.ImageSide;
    /// <summary>The distance penalty.</summary>
    public IsimedPenalty Penalty { get; init; } = IsimedPenalty.Squared;

    /// <summary>For help texts.</summary>
    public const string SpecHelp = "ISImed settings as comma-separated key=value: crops=N (crops per image, 2-64), size=F (crop side as a fraction of the image side), penalty=squared|absolute, unit=side|pixels";

    /// <summary>
    /// Reads "crops=8,size=0.25,penalty=absolute,unit=side" (any subset, any order) over <paramref name="defaults"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown key or a value that is not a number or choice, named.</exception>
    public static IsimedOptions Parse(string spec, IsimedOptions? defaults = null)
    {
        var options = defaults ?? new IsimedOptions();
        foreach (var item in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            var (key, value) = (parts[0].ToLowerInvariant(), parts.Length == 2 ? parts[1].ToLowerInvariant() : "");
            options = key switch
            {
                "crops" when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var crops) => options with { CropsPerImage = crops },
                "size" when double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var size) => options with { CropFraction = size },
                "penalty" when value is "squared" or "absolute" => options with { Penalty = value == "squared" ? IsimedPenalty.Squared : IsimedPenalty.Absolute },
                "unit" when value is "side" or "pixels" => options with { DistanceUnit = value == "side" ? IsimedDistanceUnit.ImageSide : IsimedDistanceUnit.Pixels },
                "crops" or "size" or "penalty" or "unit" => throw new ArgumentException($"ISImed setting '{item}' has an invalid value: {SpecHelp}."),
                _ => throw new ArgumentException($"Unknown ISImed setting '{item}': {SpecHelp}."),
            };
        }
        return options;
    }

    /// <summary>The settings as <see cref="Parse"/> reads them.</summary>
    public string ToSpec() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"crops={CropsPerImage},size={CropFraction:R},penalty={(Penalty == IsimedPenalty.Squared ? "squared" : "absolute")},unit={(DistanceUnit == IsimedDistanceUnit.ImageSide ? "side" : "pixels")}");

    /// <summary>Every problem of these settings, each tied to the <see cref="TrainingOptions.Isimed"/> field.</summary>
    public IEnumerable<ValidationProblem> Problems()
    {
        const string field = nameof(TrainingOptions.Isimed);
        if (CropsPerImage is < 2 or > 64) yield return new(field, $"ISImed crops per image {CropsPerImage} must be between 2 and 64");
        if (!double.IsFinite(CropFraction) || CropFraction is <= 0 or >= 1)
            yield return new(field, $"ISImed crop size {CropFraction} must be a fraction of the image side in (0, 1)");
        if (!Enum.IsDefined(DistanceUnit)) yield return new(field, $"ISImed distance unit {DistanceUnit} is unknown");
        if (!Enum.IsDefined(Penalty)) yield return new(field, $"ISImed penalty {Penalty} is unknown");
    }
}
