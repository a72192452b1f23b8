using Medvis.Core.Data;

namespace Medvis.Core.Tests.Data;

/// <summary>Paths are accepted only below a root, after ".." and every symbolic link are resolved.</summary>
public sealed class DataRootsTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("medvis-roots-").FullName;
    private string RootFolder => Path.Combine(_base, "root");
    private string Outside => Path.Combine(_base, "outside");

    public DataRootsTests()
    {
        Directory.CreateDirectory(Path.Combine(RootFolder, "sets"));
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(RootFolder, "sets", "a.npz"), "x");
        File.WriteAllText(Path.Combine(Outside, "secret.npz"), "x");
        File.CreateSymbolicLink(Path.Combine(RootFolder, "escape.npz"), Path.Combine(Outside, "secret.npz"));
        Directory.CreateSymbolicLink(Path.Combine(RootFolder, "out"), Outside);
        Directory.CreateSymbolicLink(Path.Combine(Outside, "in"), Path.Combine(RootFolder, "sets"));
        Directory.CreateSymbolicLink(Path.Combine(_base, "root-twin"), Path.Combine(RootFolder, "sets"));
    }

    private DataRoots Roots => new([RootFolder], _base);

    [Theory]
    [InlineData("root/sets/a.npz", "root/sets/a.npz")]
    [InlineData("root/sets/../sets/a.npz", "root/sets/a.npz")]
    [InlineData("root/sets/not-yet.npz", "root/sets/not-yet.npz")]
    [InlineData("outside/in/a.npz", "root/sets/a.npz")]
    [InlineData("root-twin/a.npz", "root/sets/a.npz")]
    public void PathsBelowARootResolveToTheirCanonicalForm(string path, string canonical) =>
        Assert.Equal(Path.Combine(_base, canonical), Roots.Resolve(path));

    [Theory]
    [InlineData("outside/secret.npz")]
    [InlineData("outside/missing.npz")]
    [InlineData("root/../outside/secret.npz")]
    [InlineData("root/escape.npz")]
    [InlineData("root/out/secret.npz")]
    [InlineData("root/out/missing.npz")]
    [InlineData("/etc/passwd")]
    [InlineData("/no/such/file")]
    [InlineData("")]
    [InlineData("root\0/sets")]
    public void PathsOutsideEveryRootAreRefusedAlike(string path) => Assert.Null(Roots.Resolve(path));

    [Fact]
    public void ARootIsNotAPrefixOfItsSiblings()
    {
        Directory.CreateDirectory(RootFolder + "2");
        Assert.Null(Roots.Resolve(RootFolder + "2/a.npz"));
    }

    [Fact]
    public void ALoopOfLinksIsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(RootFolder, "loop1"), Path.Combine(RootFolder, "loop2"));
        File.CreateSymbolicLink(Path.Combine(RootFolder, "loop2"), Path.Combine(RootFolder, "loop1"));
        Assert.Null(Roots.Resolve("root/loop1"));
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);
}
