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
        // A text column over the category limit is no longer refused: it is kept as an identifier.
        Assert.Equal(MetadataColumnKind.Identifier, Parse("i,a\n0,x\n1,y\n2,z\n", limits: limits with { MaxRows = 5 }).Column("a")!.Kind);
        Assert.Contains("more than 2 rows is over the limit of 2 rows (setting Medvis:MetadataLimits:MaxRows", Refusal("i,a\n0,1\n1,1\n2,1\n", limits: limits));
        Assert.Contains("over the limit of 200 bytes (setting Medvis:MetadataLimits:MaxBytes", Refusal("i,a\n" + new string('0', 300), limits: limits));
        Assert.Contains("a cell of more than 5 characters", Refusal("i,a\n0,abcdefgh\n", limits: limits));
        Assert.Contains("at most one row per image", Refusal("i,a\n0,1\n1,1\n2,1\n", images: 2));
    }

    /// <summary>HAM10000's seven diagnoses, the <c>dx</c> of its metadata table.</summary>
    private static readonly string[] Diagnoses = ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"];

    /// <summary>
    /// A folder dataset of <paramref name="images"/> HAM-named files ("nv/ISIC_0024306.jpg", classes in turn) and a
    /// HAM10000-laid-out table for it with <paramref name="lesions"/> distinct lesion ids, its rows in reverse image order.
    /// </summary>
    internal static (string[] FileNames, string Csv) HamDataset(int images, int lesions)
    {
        var labels = Enumerable.Range(0, images).Select(i => i % Diagnoses.Length).ToArray();
        var ids = Enumerable.Range(0, images).Select(i => $"ISIC_{24306 + i:D7}").ToArray();
        var names = ids.Select((id, i) => $"{Diagnoses[labels[i]]}/{id}.jpg").ToArray();
        var lines = SyntheticMetadata.HamTableCsv(ids, labels, Diagnoses, lesions, seed: 7).TrimEnd('\n').Split('\n');
        return (names, string.Join('\n', [lines[0], .. lines.Skip(1).Reverse()]) + "\n");
    }

    [Fact]
    public void AHamTableWithThousandsOfLesionsAttachesWithItsLesionIdKeptAsAnIdentifier()
    {
        var (names, csv) = HamDataset(images: 7500, lesions: 7000);
        var metadata = Parse(csv, images: 7500, names: names);

        Assert.Equal(("image_id", "file name", 7500), (metadata.KeyColumn, metadata.KeyKind, metadata.RowCount));
        Assert.Equal(["lesion_id", "dx", "dx_type", "age", "sex", "localization"], metadata.Columns.Select(c => c.Name));
        var lesion = metadata.Column("lesion_id")!;
        Assert.Equal(MetadataColumnKind.Identifier, lesion.Kind);
        Assert.Equal(7000, lesion.DistinctCount());
        Assert.Empty(lesion.Categories);
        Assert.Equal(MetadataColumnKind.Categorical, metadata.Column("dx")!.Kind);
        Assert.Equal(Diagnoses, metadata.Column("dx")!.Categories);
        Assert.Equal(MetadataColumnKind.Continuous, metadata.Column("age")!.Kind);
        // Every image carries the lesion id of its own row (rows are in reverse order, keyed by image_id).
        var imageOf = names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        foreach (var row in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')))
            Assert.Equal(row[0], lesion.Text(imageOf[$"{row[2]}/{row[1]}.jpg"]));
        Assert.Equal(["dx", "dx_type", "age", "sex", "localization"], metadata.ColourColumns().Select(c => c.Name));
        Assert.Equal(["lesion_id: 7,000 distinct values, kept as an identifier (shown on hover, not used for colouring)"], metadata.IdentifierNotes());
    }

    [Fact]
    public void ATextColumnIsCategoricalUpToTheCategoryLimitAndAnIdentifierBeyondIt()
    {
        var limits = new MetadataLimits { MaxCategories = 3 };
        var metadata = Parse("index,three,four,size\n0,a,a,1.5\n1,b,b,2.5\n2,c,c,3.5\n3,NA,d,4.5\n4,a,,5.5\n", limits: limits);

        Assert.Equal(MetadataColumnKind.Categorical, metadata.Column("three")!.Kind);
        var four = metadata.Column("four")!;
        Assert.Equal(MetadataColumnKind.Identifier, four.Kind);
        // Numbers stay continuous however many distinct values they have.
        Assert.Equal(MetadataColumnKind.Continuous, metadata.Column("size")!.Kind);
        Assert.Equal(["a", "b", "c", "d", "", ""], Enumerable.Range(0, 6).Select(four.Text));
        Assert.Equal([true, true, true, true, false, false, false], Enumerable.Range(0, 7).Select(four.HasValue));
        Assert.False(four.HasValue(-1));
        Assert.Equal(4, four.DistinctCount());
        Assert.False(four.ColoursMaps());
        Assert.True(metadata.Column("three")!.ColoursMaps() && metadata.Column("size")!.ColoursMaps());
        Assert.Equal(["three", "size"], metadata.ColourColumns().Select(c => c.Name));
        Assert.Equal(["four: 4 distinct values, kept as an identifier (shown on hover, not used for colouring)"], metadata.IdentifierNotes());
    }

    [Fact]
    public void AnIdentifierColumnRoundTripsThroughTheStoredForm()
    {
        var metadata = Parse("index,id\n0,p1\n1,p2\n3,p3\n", limits: new MetadataLimits { MaxCategories = 2 });
        var copy = DatasetMetadata.FromBytes(metadata.ToBytes()).Column("id")!;
        Assert.Equal(MetadataColumnKind.Identifier, copy.Kind);
        Assert.Equal(["p1", "p2", "", "p3"], Enumerable.Range(0, 4).Select(copy.Text));
        Assert.False(copy.HasValue(2));
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
