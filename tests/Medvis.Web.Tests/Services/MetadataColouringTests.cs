using Medvis.Core.Data.Metadata;
using Medvis.Core.Storage;
using Medvis.Web.Results;

namespace Medvis.Web.Tests.Services;

public sealed class MetadataColouringTests
{
    // Five map points showing dataset images 4, 3, 2, 1, 0 (reversed, as a subset would reorder them).
    private static readonly RunResult Map = new(1, [0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [0, 1, 0, 1, 0], [4, 3, 2, 1, 0], ["a", "b"]);

    private static DatasetMetadata Table() =>
        MetadataCsv.Parse("image_index,sex,age\n0,male,30\n1,female,40\n2,male,\n3,,60\n"u8.ToArray(), "m.csv", new MetadataKeys(5));

    [Fact]
    public void WithoutAColumnPointsKeepTheirClasses()
    {
        var colouring = MetadataColouring.For(Map, Table(), null, null);
        Assert.Equal(Map.Labels, colouring.Groups);
        Assert.Equal(["a", "b"], colouring.GroupNames);
        Assert.Null(colouring.Values);
        Assert.Null(colouring.Kept);
    }

    [Fact]
    public void ACategoricalColumnGroupsPointsByTheValueOfTheirImageWithAGroupForMissingValues()
    {
        var colouring = MetadataColouring.For(Map, Table(), "sex", null);
        Assert.Equal(["female", "male", MetadataColouring.Missing], colouring.GroupNames);
        // Points show images 4 (no row), 3 (no sex), 2 male, 1 female, 0 male.
        Assert.Equal([2, 2, 1, 0, 1], colouring.Groups);
    }

    [Fact]
    public void AContinuousColumnGivesValuesAndRangeAndGreysPointsWithoutOne()
    {
        var colouring = MetadataColouring.For(Map, Table(), "age", null);
        Assert.Equal("age", colouring.ValueTitle);
        Assert.Equal((30, 60), (colouring.ValueMin, colouring.ValueMax));
        Assert.Equal([1, 3, 4], colouring.Kept!.Order());
        Assert.Equal([60, 40, 30], new[] { 1, 3, 4 }.Select(p => colouring.Values![p]));
        Assert.Contains("3 of 5 points coloured by age", colouring.Summary);
    }

    [Fact]
    public void FiltersKeepCategoriesOrARange()
    {
        var males = MetadataColouring.For(Map, Table(), null, new MetadataFilter("sex", new HashSet<string> { "male" }));
        Assert.Equal([2, 4], males.Kept!.Order());
        var missing = MetadataColouring.For(Map, Table(), null, new MetadataFilter("sex", new HashSet<string> { MetadataColouring.Missing }));
        Assert.Equal([0, 1], missing.Kept!.Order());
        var range = MetadataColouring.For(Map, Table(), "sex", new MetadataFilter("age", Min: 35, Max: 60));
        Assert.Equal([1, 3], range.Kept!.Order());
        var open = MetadataColouring.For(Map, Table(), null, new MetadataFilter("age"));
        Assert.Equal(5, open.Kept!.Count);
        Assert.Throws<ArgumentException>(() => MetadataColouring.For(Map, Table(), "weight", null));
    }

    /// <summary>The table above plus a lesion column with more distinct values than its category limit of 2.</summary>
    private static DatasetMetadata TableWithLesions() => MetadataCsv.Parse(
        "image_index,sex,age,lesion\n0,male,30,HAM_01\n1,female,40,HAM_02\n2,male,,ham_11\n3,,60,\n"u8.ToArray(), "m.csv", new MetadataKeys(5),
        new MetadataLimits { MaxCategories = 2 });

    [Fact]
    public void AnIdentifierColumnIsSearchedByTheTextOfItsValuesButNeverColoursTheMap()
    {
        Assert.Equal(MetadataColumnKind.Identifier, TableWithLesions().Column("lesion")!.Kind);
        // Points show images 4 (no row), 3 (no lesion), 2 ham_11, 1 HAM_02, 0 HAM_01.
        var zero = MetadataColouring.For(Map, TableWithLesions(), "sex", new MetadataFilter("lesion", Contains: "HAM_0"));
        Assert.Equal([3, 4], zero.Kept!.Order());
        Assert.Equal(["female", "male", MetadataColouring.Missing], zero.GroupNames);
        var anyCase = MetadataColouring.For(Map, TableWithLesions(), null, new MetadataFilter("lesion", Contains: " ham_1 "));
        Assert.Equal([2], anyCase.Kept!.Order());
        var blank = MetadataColouring.For(Map, TableWithLesions(), null, new MetadataFilter("lesion", Contains: " "));
        Assert.Equal(5, blank.Kept!.Count);

        var refused = Assert.Throws<ArgumentException>(() => MetadataColouring.For(Map, TableWithLesions(), "lesion", null));
        Assert.Contains("\"lesion\" is an identifier", refused.Message);
    }

    [Fact]
    public void TheBoundedCacheDropsTheLeastRecentlyUsedEntry()
    {
        var cache = new BoundedCache<int, string>(() => 2);
        cache.GetOrAdd(1, () => "one");
        cache.GetOrAdd(2, () => "two");
        Assert.Equal("one", cache.GetOrAdd(1, () => "again")); // 1 is now the most recent
        cache.GetOrAdd(3, () => "three");
        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(1, out _));
        Assert.False(cache.TryGet(2, out _));
        cache.Remove(1);
        Assert.False(cache.TryGet(1, out _));
    }
}
