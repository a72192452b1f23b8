using System.Text;
using Medvis.Core.Data;
using Medvis.Core.Data.LabelTables;
using Medvis.Core.Data.Metadata;

namespace Medvis.Core.Tests.Data;

public sealed class LabelTableMatchTests
{
    private static LabelTableMatch Match(string csv, IReadOnlyList<string> files, string label = "dx", string? key = null, string? group = null) =>
        LabelTableMatch.Build(MetadataCsv.ReadTable(Encoding.UTF8.GetBytes(csv), "ham.csv"), new LabelTableSpec("/data/ham.csv", label, key, group), files);

    [Fact]
    public void KeysNameImagesByStemFileNameOrPathInNestedFolders()
    {
        string[] files = ["part_1/ISIC_0000001.jpg", "part_2/deep/ISIC_0000002.png", "ISIC_0000003.jpg"];

        var match = Match("image_id,dx\nISIC_0000001,nv\npart_2/deep/ISIC_0000002.png,mel\nisic_0000003.JPG,nv\n", files);

        Assert.Equal([(0, "nv"), (1, "mel"), (2, "nv")], match.Labelled.Select(l => (l.File, l.Label)));
        Assert.Equal(["mel", "nv"], match.ClassNames());
        Assert.Equal("image_id", match.Table.Header[match.KeyColumn]);
        Assert.Equal("images without a row: none", match.SummaryLines()[1]);
    }

    [Fact]
    public void ImagesWithoutARowRowsWithoutAnImageAndEmptyLabelsAreEachCountedAndNamedInOneLine()
    {
        var files = Enumerable.Range(0, 12).Select(i => $"img_{i:D2}.png").ToArray();
        var csv = new StringBuilder("image_id,dx\n");
        // Images 0–7 have no row; 8 and 9 have an empty or NA label; 10 and 11 are labelled; two rows name nothing.
        csv.Append("img_08,\nimg_09,NA\nimg_10,nv\nimg_11,mel\nghost_1,nv\nghost_2,bkl\n");

        var match = Match(csv.ToString(), files);
        var lines = match.SummaryLines();

        Assert.Equal(2, match.Labelled.Count);
        Assert.Equal("ham.csv:dx: 2 images labelled in 2 classes (key column image_id)", lines[0]);
        Assert.Equal("images without a row: 8 (img_00.png, img_01.png, img_02.png, img_03.png, img_04.png, …), not trained on or mapped", lines[1]);
        Assert.Equal("rows without an image: 2 (ghost_1, ghost_2), ignored", lines[2]);
        Assert.Equal("images with an empty dx: 2 (img_08.png, img_09.png), not trained on or mapped", lines[3]);
        Assert.Equal(4, lines.Count);
        Assert.All(lines, line => Assert.DoesNotContain('\n', line));
    }

    [Fact]
    public void TheGroupColumnIsReportedAndAnEmptyGroupIsItsOwn()
    {
        var match = Match("lesion_id,image_id,dx\nHAM_1,a,nv\nHAM_1,b,nv\n,c,mel\n", ["a.jpg", "b.jpg", "c.jpg"], group: "lesion_id");

        Assert.Equal(["HAM_1", "HAM_1", null], match.Labelled.Select(l => l.Group));
        Assert.Contains("grouped by lesion_id: 1 groups; the evaluation keeps each group on one side of its splits", match.SummaryLines());
        Assert.Contains("images with an empty lesion_id: 1 (c.jpg), each is a group of its own", match.SummaryLines());
    }

    [Theory]
    [InlineData("image_id,dx\na,nv\na,mel\n", "line 3: duplicate key \"a\": line 2 describes the same image")]
    [InlineData("image_id,dx\nx,nv\n", "no image has a label: ")]
    [InlineData("image_id,diagnosis\na,nv\n", "no column \"dx\" for the label (columns: image_id, diagnosis)")]
    [InlineData("image_id,dx\nsame,nv\n", "key \"same\" names more than one image")]
    public void BadTablesAreRefusedInOneLine(string csv, string problem)
    {
        var error = Assert.Throws<DatasetFormatException>(() => Match(csv, ["a.jpg", "b.jpg", "p/same.jpg", "q/same.jpg"]));

        Assert.Contains(problem, error.Message);
        Assert.StartsWith("ham.csv: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ANamedKeyColumnOverridesTheDefault()
    {
        var match = Match("image_id,file,dx\nx,a.jpg,nv\n", ["a.jpg"], key: "file");

        Assert.Single(match.Labelled);
        Assert.Equal("rows without an image: none", match.SummaryLines()[2]);
    }

    [Fact]
    public void TheLabelsOptionAndTheLabelledSpecRoundTrip()
    {
        var labels = LabelTableSpec.Parse("/data/HAM10000_metadata.csv:dx", keyColumn: " image_id ", groupColumn: "lesion_id");
        var spec = new LabelledFolderSpec("/data/ham", labels).ToSpec();

        Assert.Equal("/data/ham|labels=/data/HAM10000_metadata.csv|label=dx|key=image_id|group=lesion_id", spec);
        Assert.Equal(new LabelledFolderSpec("/data/ham", labels), LabelledFolderSpec.TryParse(spec));
        Assert.Null(LabelledFolderSpec.TryParse("/data/ham"));
        Assert.Contains("expected file.csv:label_column", Assert.Throws<ArgumentException>(() => LabelTableSpec.Parse("ham.csv")).Message);
        Assert.Contains("must differ", Assert.Throws<ArgumentException>(() => LabelTableSpec.Parse("ham.csv:dx", groupColumn: "DX")).Message);
        Assert.Contains("unknown or repeated part", Assert.Throws<DatasetFormatException>(() => LabelledFolderSpec.TryParse("/d|labels=x.csv|colour=dx")).Message);
    }
}
