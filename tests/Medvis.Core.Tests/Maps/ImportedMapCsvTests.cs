using Medvis.Core.Data;
using Medvis.Core.Maps;

namespace Medvis.Core.Tests.Maps;

/// <summary>The CSV import of maps computed elsewhere: the shapes Python writes load, and hostile input is refused in one line.</summary>
public sealed class ImportedMapCsvTests
{
    private static ImportedMap Read(string text, int? images = null, InputLimits? limits = null) =>
        ImportedMapCsv.Read(new StringReader(text), "map.csv", limits ?? InputLimits.Default, images);

    private static string Refusal(string text, int? images = null, InputLimits? limits = null)
    {
        var error = Record.Exception(() => Read(text, images, limits));
        Assert.NotNull(error);
        Assert.True(error is FormatException or DatasetFormatException, $"{error.GetType().Name}: {error.Message}");
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("map.csv", error.Message);
        return error.Message;
    }

    [Fact]
    public void AHeaderNamesTheColumnsInAnyOrderAndExtraColumnsAreIgnored()
    {
        var map = Read("y,note,x,index\n2.5,a,1.5,7\n-1,b,0,3\n");
        Assert.Equal([7, 3], map.Indices);
        Assert.Equal([1.5f, 0f], map.X);
        Assert.Equal([2.5f, -1f], map.Y);
        Assert.Null(map.Labels);
    }

    [Fact]
    public void WithoutAHeaderTheColumnsAreIndexXYAndAnOptionalLabel()
    {
        var map = Read("0,1.0,2.0,2\n1,3e-1,-4,0\n");
        Assert.Equal([0, 1], map.Indices);
        Assert.Equal([0.3f], map.X[1..]);
        Assert.Equal([2, 0], map.Labels!);
        Assert.Equal(["class 0", "class 1", "class 2"], map.ClassNames);
    }

    [Fact]
    public void PandasAndNumPyDefaultsLoad()
    {
        // pandas: DataFrame(Y).to_csv() writes an unnamed index column and columns named 0 and 1.
        var pandas = Read(",0,1\n0,0.5,1.5\n1,2.5,3.5\n");
        Assert.Equal([0, 1], pandas.Indices);
        Assert.Equal([0.5f, 2.5f], pandas.X);
        // NumPy: savetxt of column_stack([arange(n), Y]) writes the index as a float.
        var numpy = Read("0.000000000000000000e+00,1.5e+00,2.0e+00\n1.000000000000000000e+00,3e+00,4e+00\n");
        Assert.Equal([0, 1], numpy.Indices);
        Assert.Equal([1.5f, 3f], numpy.X);
    }

    [Fact]
    public void TextLabelsBecomeSortedClassesAndAClassColumnNamesNumericLabels()
    {
        var text = Read("index,x,y,label\n0,0,0,tumour\n1,1,1,normal\n2,2,2,tumour\n");
        Assert.Equal(["normal", "tumour"], text.ClassNames);
        Assert.Equal([1, 0, 1], text.Labels!);
        var named = Read("index,x,y,label,class\n0,0,0,1,\"eosinophil, mature\"\n1,1,1,0,basophil\n");
        Assert.Equal(["basophil", "eosinophil, mature"], named.ClassNames);
        Assert.Equal([1, 0], named.Labels!);
    }

    [Theory]
    [InlineData("index,x,y\n0,abc,1\n", "map.csv:2: 'abc' in column 'x' is not a finite number")]
    [InlineData("index,x,y\n0,1,NaN\n", "map.csv:2: 'NaN' in column 'y' is not a finite number")]
    [InlineData("index,x,y\n0,inf,1\n", "'inf' in column 'x' is not a finite number")]
    [InlineData("index,x,y\n0,1e39,1\n", "'1e39' in column 'x' is not a finite number")]
    [InlineData("index,x,y\n0,-Infinity,1\n", "is not a finite number")]
    [InlineData("index,x,y\n0,1,2\n5,1,2\n0,3,4\n", "map.csv:4: index 0 appears twice (also on line 2)")]
    [InlineData("index,x,y\n-1,1,2\n", "map.csv:2: index -1 is negative")]
    [InlineData("index,x,y\n1.5,1,2\n", "'1.5' in column 'index' is not an image index")]
    [InlineData("index,x,y\n99999999999,1,2\n", "in column 'index' is not an image index")]
    [InlineData("index,x,y\n0,1\n", "map.csv:2: 2 field(s) where the header has 3")]
    [InlineData("index,x,y\n0,1,2,3\n", "4 field(s) where the header has 3")]
    [InlineData("0,1\n", "map.csv:1: the header '0,1' has no 'index' column")]
    [InlineData("a,b,c\n0,1,2\n", "has no 'index' column")]
    [InlineData("index,x,z\n0,1,2\n", "lacks the 'y' column")]
    [InlineData("", "the file holds no points")]
    [InlineData("\n\n  \n", "the file holds no points")]
    [InlineData("index,x,y\n", "a header but no points")]
    [InlineData("index,x,y,label\n0,1,2,\n", "the label is empty")]
    [InlineData("index,x,y,label\n0,1,2,-3\n", "label -3 is negative")]
    [InlineData("index,x,y,label\n0,1,2,5000\n", "Medvis:InputLimits:MaxClasses")]
    [InlineData("\u0000\u0001\u0002,\u00ff,x\n", "has no 'index' column")]
    public void BadInputIsRefusedInOneLineNamingTheLine(string text, string expected) =>
        Assert.Contains(expected, Refusal(text));

    [Fact]
    public void IndicesMustNameImagesOfTheAttachedDataset()
    {
        Assert.Contains("map.csv:3: index 10 is outside the dataset's 10 images (0 to 9)", Refusal("index,x,y\n9,0,0\n10,0,0\n", images: 10));
        Assert.Equal(2, Read("index,x,y\n9,0,0\n10,0,0\n").Count);
    }

    [Fact]
    public void MoreRowsThanTheLimitAreRefusedNamingTheSetting()
    {
        var text = "index,x,y\n" + string.Concat(Enumerable.Range(0, 11).Select(i => $"{i},{i},{i}\n"));
        var message = Refusal(text, limits: new InputLimits { MaxMapPoints = 10 });
        Assert.Contains("over the limit of 10 points", message);
        Assert.Contains("Medvis:InputLimits:MaxMapPoints", message);
        Assert.Contains("Medvis__InputLimits__MaxMapPoints", message);
        Assert.Equal(10, Read(text[..(text.LastIndexOf("\n10,", StringComparison.Ordinal) + 1)], limits: new InputLimits { MaxMapPoints = 10 }).Count);
    }

    [Fact]
    public void TooManyDifferentTextLabelsAreRefused()
    {
        var text = "index,x,y,label\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"{i},0,0,c{i}\n"));
        Assert.Contains("Medvis:InputLimits:MaxClasses", Refusal(text, limits: new InputLimits { MaxClasses = 4 }));
    }

    [Fact]
    public void AHugeLineIsRefusedWithoutReadingOn()
    {
        var message = Refusal("index,x,y\n0," + new string('1', 50_000) + ",2\n");
        Assert.Contains("map.csv:2: the line has 50,004 characters", message);
    }

    [Fact]
    public void AMillionRowsReadInSeconds()
    {
        var text = new System.Text.StringBuilder("index,x,y\n");
        for (var i = 0; i < 1_000_000; i++) text.Append(i).Append(',').Append(i * 0.001).Append(',').Append(-i * 0.002).Append('\n');
        var map = Read(text.ToString());
        Assert.Equal(1_000_000, map.Count);
        Assert.Equal(999_999, map.Indices[^1]);
        Assert.Equal(-1999.998f, map.Y[^1], 3);
    }
}
