using Medvis.Core.Storage;

namespace Medvis.Core.Tests.Storage;

/// <summary>Even thinning of the replay history and the snapshot blob format.</summary>
public class SnapshotHistoryTests
{
    [Theory]
    [InlineData(1000, 20)]
    [InlineData(450, 60)]
    [InlineData(61, 60)]
    [InlineData(7, 2)]
    public void AddingOneAtATimeKeepsTheBoundTheEndsAndAnEvenSpread(int epochs, int max)
    {
        var kept = new List<int>();
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            kept.Add(epoch);
            var drop = SnapshotThinning.ToDrop(kept, max);
            Assert.True(drop.Count <= 1, $"epoch {epoch} dropped {drop.Count}");
            kept.RemoveAll(drop.Contains);
            Assert.True(kept.Count <= max);
        }
        Assert.Equal(Math.Min(epochs, max), kept.Count);
        Assert.Equal(1, kept[0]);
        Assert.Equal(epochs, kept[^1]);
        var ideal = (epochs - 1) / (double)(max - 1);
        var widest = kept.Zip(kept.Skip(1), (a, b) => b - a).Max();
        Assert.True(widest <= 2 * Math.Ceiling(ideal), $"widest gap {widest}, ideal {ideal:F1}");
    }

    [Fact]
    public void AHistoryWithinTheBoundDropsNothingAndBadInputIsRefused()
    {
        Assert.Empty(SnapshotThinning.ToDrop([1, 2, 3], 3));
        Assert.Equal([2], SnapshotThinning.ToDrop([1, 2, 10, 20], 3));
        Assert.Throws<ArgumentException>(() => SnapshotThinning.ToDrop([1, 2], 1));
        Assert.Throws<ArgumentException>(() => SnapshotThinning.ToDrop([2, 1], 5));
    }

    [Fact]
    public void TheBlobRoundTripsAndRefusesDamage()
    {
        var snapshot = new SnapshotPoint { Stage = 3, Epoch = 4, GlobalEpoch = 17, Indices = [5, 9, 2], Labels = [0, 2, 1], X = [0.5f, -1e6f, 3], Y = [float.Epsilon, 2, -7.25f] };
        var bytes = SnapshotCodec.Encode(snapshot);
        Assert.Equal(17 + 16 * 3, bytes.Length);
        var back = SnapshotCodec.Decode(bytes);
        Assert.Equal((3, 4, 17), (back.Stage, back.Epoch, back.GlobalEpoch));
        Assert.Equal(snapshot.Indices, back.Indices);
        Assert.Equal(snapshot.Labels, back.Labels);
        Assert.Equal(snapshot.X, back.X);
        Assert.Equal(snapshot.Y, back.Y);
        Assert.Throws<InvalidDataException>(() => SnapshotCodec.Decode(bytes[..^1]));
        Assert.Throws<InvalidDataException>(() => SnapshotCodec.Decode([9, 0, 0]));
        Assert.Throws<ArgumentException>(() => SnapshotCodec.Encode(new SnapshotPoint { X = [1], Y = [] }));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(60, true)]
    [InlineData(1001, false)]
    public void TheBoundIsChecked(int max, bool fine) => Assert.Equal(fine, new ReplaySettings(max).Problem() is null);
}
