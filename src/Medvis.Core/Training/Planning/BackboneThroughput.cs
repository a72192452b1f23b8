namespace Medvis.Core.Training.Planning;

/// <summary>A probe's result: training images per second (stage 1: two views, forward, backward, step) of one backbone in one precision.</summary>
/// <param name="Backbone">The backbone's name.</param>
/// <param name="Precision">"fp32" or "bf16".</param>
/// <param name="ImagesPerSecond">Measured on this machine, at the run's image size and batch.</param>
public sealed record BackboneThroughput(string Backbone, string Precision, double ImagesPerSecond);
