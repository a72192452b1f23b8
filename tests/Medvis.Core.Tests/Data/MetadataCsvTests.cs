using System.Text;
using Medvis.Core.Data;
using Medvis.Core.Data.Metadata;

namespace Medvis.Core.Tests.Data;

public sealed class MetadataCsvTests
{
    private static DatasetMetadata Parse(string csv, int images = 10, IReadOnlyList<string>? names = null, MetadataLimits? limits = null) =>
        MetadataCsv.Parse(Encoding.UTF8.GetBytes(csv), "meta.csv", new MetadataKeys(images, names), limits);

    private static string Refusal(string csv, int images = 10, IReadOnlyList<string>? names = null, MetadataLimits? limits = null)
    {
        var e = Assert.Throws<DatasetFormatException>(() => Parse(csv, images, names, limits));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("meta.csv: ", e.Message);
        return e.Message;
    }

    [Fact]
    public void ColumnsAreTypedAndPlacedAtTheirImageIndex()
    {
        var metadata = Parse("image_index,age,sex\n3,45,male\n0,,female\n7,60.5,NA\n");
        Assert.Equal("image_index", metadata.KeyColumn);
        Assert.Equal("image index", metadata.KeyKind);
        Assert.Equal(3, metadata.RowCount);
        var age = metadata.Column("age")!;
        Assert.Equal(MetadataColumnKind.Continuous, age.Kind);
        Assert.Equal(45, age.Values[3]);
        Assert.Equal(60.5, age.Values[7]);
        Assert.True(double.IsNaN(age.Values[0]));
        Assert.True(double.IsNaN(age.Values[1]));
        Assert.Equal((45, 60.5), age.Range());
        var sex = metadata.Column("sex")!;
        Assert.Equal(MetadataColumnKind.Categorical, sex.Kind);
        Assert.Equal(["female", "male"], sex.Categories);
        Assert.Equal("male", sex.Text(3));
        Assert.Equal("female", sex.Text(0));
        Assert.False(sex.HasValue(7));
        Assert.False(sex.HasValue(5));
        Assert.Equal(10, sex.Codes.Length);
    }

    [Fact]
    public void QuotedCellsSemicolonsAndABomAreRead()
    {
        var metadata = Parse("\uFEFFsite;note;index\r\n\"upper; extremity\";\"say \"\"hi\"\"\nthere\";2\r\nback;x;4");
        Assert.Equal("index", metadata.KeyColumn);
        Assert.Equal("upper; extremity", metadata.Column("site")!.Text(2));
        Assert.Equal("say \"hi\"\nthere", metadata.Column("note")!.Text(2));
        Assert.Equal("back", metadata.Column("site")!.Text(4));
    }

    [Fact]
    public void FileNameKeysMatchPathNameOrNameWithoutExtension()
    {
        string[] names = ["akiec/ISIC_001.jpg", "bcc/ISIC_002.jpg", "bcc/ISIC_003.png"];
        var metadata = Parse("image_id,age\nISIC_002,40\nakiec/ISIC_001.jpg,30\nISIC_003.png,50\n", images: 3, names: names);
        Assert.Equal("file name", metadata.KeyKind);
        Assert.Equal([30.0, 40.0, 50.0], metadata.Column("age")!.Values);
    }

    [Fact]
    public void HamStyleFixtureParsesWithTheExpectedKinds()
    {
        var labels = Enumerable.Range(0, 500).Select(i => i % 7).ToArray();
        var metadata = Parse(SyntheticMetadata.HamStyleCsv(labels, seed: 3), images: 500);
        Assert.Equal(["age", "sex", "localization", "dx_type"], metadata.Columns.Select(c => c.Name));
        Assert.Equal(MetadataColumnKind.Continuous, metadata.Column("age")!.Kind);
        Assert.Contains("unknown", metadata.Column("sex")!.Categories);
        Assert.InRange(metadata.Column("localization")!.Categories.Count, 5, 8);
        Assert.InRange(metadata.Column("age")!.Values.Count(double.IsNaN), 1, 40);
        Assert.Equal(SyntheticMetadata.HamStyleCsv(labels, seed: 3), SyntheticMetadata.HamStyleCsv(labels, seed: 3));
    }

    [Theory]
    [InlineData("index,age\n0,1\n10,2\n", "line 3: unknown key 10: the dataset's image indices run from 0 to 9")]
    [InlineData("index,age\n0,1\n2,2\n0,3\n", "line 4: duplicate key \"0\": line 2 describes the same image")]
    [InlineData("index,age\n0,1,2\n", "line 2: 3 cells, but the header has 2")]
    [InlineData("index,age,age\n0,1,2\n", "column name \"age\" appears twice")]
    [InlineData("index\n0\n", "needs a key column")]
    [InlineData("", "is empty")]
    [InlineData("index,age\n", "has a header but no rows")]
    [InlineData("index,age\n\"0,1\n", "a quoted cell is never closed")]
    [InlineData("name,age\nfoo,1\n", "this dataset's images have no file names")]
    public void BadFilesAreRefusedWithOneLine(string csv, string expected) =>
        Assert.Contains(expected, Refusal(csv));

    [Fact]
    public void UnknownAndAmbiguousFileNamesAreRefused()
    {
        string[] names = ["a/x.png", "b/x.png", "b/y.png"];
        Assert.Contains("unknown key \"zzz\"", Refusal("file,age\nzzz,1\n", 3, names));
        Assert.Contains("key \"x.png\" names more than one image", Refusal("file,age\nx.png,1\n", 3, names));
        Assert.Equal(1, Parse("file,age\nb/x.png,1\n", 3, names).Column("age")!.Values[1]);
    }

    [Fact]
    public void LimitsAreNamedWithTheSettingThatRaisesThem()
    {
        var limits = new MetadataLimits { MaxColumns = 3, MaxCategories = 2, MaxRows = 2, MaxBytes = 200, MaxCellLength = 5 };
        Assert.Contains("line 1: more than 3 cells is over the limit of 3 columns (setting Medvis:MetadataLimits:MaxColumns", Refusal("i,a,b,c\n0,1,2,3\n", limits: limits));
        Assert.Contains("column \"a\" with 3 distinct values is over the limit of 2 categories (setting Medvis:MetadataLimits:MaxCategories",
            Refusal("i,a\n0,x\n1,y\n2,z\n", limits: limits with { MaxRows = 5 }));
        Assert.Contains("more than 2 rows is over the limit of 2 rows (setting Medvis:MetadataLimits:MaxRows", Refusal("i,a\n0,1\n1,1\n2,1\n", limits: limits));
        Assert.Contains("over the limit of 200 bytes (setting Medvis:MetadataLimits:MaxBytes", Refusal("i,a\n" + new string('0', 300), limits: limits));
        Assert.Contains("a cell of more than 5 characters", Refusal("i,a\n0,abcdefgh\n", limits: limits));
        Assert.Contains("at most one row per image", Refusal("i,a\n0,1\n1,1\n2,1\n", images: 2));
    }

    [Fact]
    public void StoredFormRoundTripsMissingValues()
    {
        var metadata = Parse("index,age,sex\n1,40,male\n");
        var copy = DatasetMetadata.FromBytes(metadata.ToBytes());
        Assert.True(double.IsNaN(copy.Column("age")!.Values[0]));
        Assert.Equal(40, copy.Column("age")!.Values[1]);
        Assert.Equal(MetadataColumnKind.Categorical, copy.Column("sex")!.Kind);
        Assert.Equal(-1, copy.Column("sex")!.Codes[0]);
        Assert.Throws<InvalidDataException>(() => DatasetMetadata.FromBytes("{"u8.ToArray()));
    }

    [Fact]
    public void AFolderListsItsFileNamesInImageOrder()
    {
        using var temp = new TempFolder();
        ImageFolderDatasetSourceTests.WriteImage(temp.File("zebra/b.png"), 8, 8, SkiaSharp.SKColors.Red);
        ImageFolderDatasetSourceTests.WriteImage(temp.File("zebra/a.png"), 8, 8, SkiaSharp.SKColors.Red);
        ImageFolderDatasetSourceTests.WriteImage(temp.File("apple/x.png"), 8, 8, SkiaSharp.SKColors.Blue);
        var source = new ImageFolderDatasetSource(temp.Path, 8);
        Assert.Equal(["apple/x.png", "zebra/a.png", "zebra/b.png"], source.FileNames());
        var metadata = MetadataCsv.Parse("image_id,site\nb,back\nx,face\n"u8.ToArray(), "m.csv", new MetadataKeys(3, source.FileNames()));
        Assert.Equal(["face", "", "back"], Enumerable.Range(0, 3).Select(metadata.Column("site")!.Text));
    }
}
