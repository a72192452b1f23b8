using Medvis.Core.Tests.Data;
using Medvis.Core.Tests.Data.Dicom;

namespace Medvis.Cli.Tests;

/// <summary>A generated folder of DICOM files through <c>datasets info</c> and <c>train</c>.</summary>
public sealed class DicomCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void DatasetsInfoShowsTheTagsAsMetadataWithoutPatientNamesOrIds()
    {
        DicomChestFolder.Write(_temp.File("cxr"), perClass: 6);

        var (code, output, error) = Run("datasets", "info", _temp.File("cxr"), "--image-size", "16");

        Assert.True(code == 0, error);
        Assert.Contains("effusion", output);
        Assert.Contains("DICOM tags: 12 of 12 images described", output);
        foreach (var column in new[] { "Modality", "BodyPartExamined", "ViewPosition", "PatientSex", "PatientAge", "Manufacturer", "StudyYear" })
            Assert.Contains(column, output);
        Assert.DoesNotContain("Doe", output);
        Assert.DoesNotContain(DicomChestFolder.PatientId, output);
    }

    [Fact]
    public void TrainMapsADicomFolderWithAWindowOverride()
    {
        DicomChestFolder.Write(_temp.File("cxr"), perClass: 12);

        var (code, output, error) = Run("train", "--data", _temp.File("cxr") + "|window=minmax", "--image-size", "16", "--backbone", "tiny",
            "--epochs", "1,1,1", "--batch", "8", "--baseline", "none", "--out", _temp.File("run"));

        Assert.True(code == 0, error + output);
        Assert.Equal(25, File.ReadAllLines(_temp.File("run/coords.csv")).Length);
        Assert.Contains("|window=minmax", File.ReadAllText(_temp.File("run/run.json")));
    }
}
