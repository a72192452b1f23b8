using Medvis.Core.Storage;
using Medvis.Core.Storage.Postgres;
using Npgsql;

namespace Medvis.Core.Tests.Storage;

/// <summary>The store contract on a real PostgreSQL server (skipped without one), plus what only PostgreSQL does.</summary>
public sealed class PostgresStoreTests : MedvisStoreContract
{
    private readonly PostgresTestDatabase _database = new();

    protected override IMedvisStore Open() => new PostgresStore(_database.ConnectionString);

    [SkippableFact]
    public void MigrationsAreRecordedAndApplyOnceAcrossOpens()
    {
        using (Open()) { }
        using var reopened = (PostgresStore)Open();
        using var command = reopened.DataSource.CreateCommand("SELECT array_agg(version ORDER BY version) FROM medvis_schema");

        var versions = (int[])command.ExecuteScalar()!;

        Assert.Equal(Enumerable.Range(1, PostgresMigrations.LatestVersion), versions);
    }

    [SkippableFact]
    public void ADatabaseNewerThanThisMedvisIsRefused()
    {
        using (var store = (PostgresStore)Open())
        using (var command = store.DataSource.CreateCommand($"INSERT INTO medvis_schema (version) VALUES ({PostgresMigrations.LatestVersion + 1})"))
            command.ExecuteNonQuery();

        var error = Assert.Throws<InvalidOperationException>(Open);

        Assert.Contains("newer than this Medvis", error.Message);
    }

    [Fact]
    public void AnUnreachableServerGivesAOneLineErrorNamingIt()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var error = Assert.Throws<InvalidOperationException>(() =>
            new PostgresStore(new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = 1, Database = "medvis", Timeout = 3 }.ConnectionString));

        Assert.Contains("postgres://127.0.0.1:1/medvis", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public override void Dispose() => _database.Dispose();
}
