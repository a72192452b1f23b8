using Medvis.Core.Data;
using Medvis.Core.Training;

namespace Medvis.Core.Runs;

/// <summary>Which images a run trains on.</summary>
/// <param name="Spec">What opens the dataset: "demo", an .npz or .h5 path, or an image folder (see <see cref="DatasetCatalog"/>).</param>
/// <param name="Split">The split to train on.</param>
/// <param name="ImageSize">Side length folder and demo images are resized to (npz files keep their own).</param>
/// <param name="MaxImages">Train on a seeded random subset of at most this many images; null for the whole split.</param>
public sealed record DatasetSelection(string Spec, DatasetSplit Split = DatasetSplit.Train, int ImageSize = 28, int? MaxImages = null);

/// <summary>Everything a map run needs to know: the images and the training settings.</summary>
/// <param name="Dataset">The images.</param>
/// <param name="Options">The training settings.</param>
/// <param name="PixelBaseline">Also embed the same images' pixels with t-SNE and store the comparison (<see cref="Evaluation.BaselineComparison"/>).</param>
public sealed record MapRunRequest(DatasetSelection Dataset, TrainingOptions Options, bool PixelBaseline = false);
