using Medvis.Core.Evaluation;
using Medvis.Core.Tests.Data;

namespace Medvis.Core.Tests.Evaluation;

public sealed class CoordsCsvFileNamesTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FileNamesTravelAsAFileColumnAndReadBack()
    {
        var map = new MapCoordinates([4, 2], [0, 1], ["a", "b, c"], new float[,] { { 1, 2 }, { 3, 4 } }) { FileNames = ["x/1.png", "y/two, \"q\".png"] };
        var path = _temp.File("coords.csv");
        CoordsCsv.Write(path, map);

        Assert.StartsWith("index,label,class,x,y,file\n", File.ReadAllText(path));
        var read = CoordsCsv.Read(path);
        Assert.Equal(map.FileNames, read.FileNames);
        Assert.Equal(map.Indices, read.Indices);
        Assert.Null(CoordsCsv.Read(WithoutFiles()).FileNames);
    }

    private string WithoutFiles()
    {
        var path = _temp.File("plain.csv");
        CoordsCsv.Write(path, new MapCoordinates([0], [0], ["a"], new float[,] { { 1, 2 } }));
        return path;
    }
}
