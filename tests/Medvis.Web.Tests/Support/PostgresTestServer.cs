using Npgsql;

namespace Medvis.Web.Tests.Support;

/// <summary>
/// A fresh database on the PostgreSQL server <c>MEDVIS_TEST_POSTGRES</c> names (scripts/test.sh starts a throwaway
/// cluster and sets it), dropped on dispose; the test is skipped when the variable is unset.
/// </summary>
public sealed class PostgresTestServer : IDisposable
{
    private const string Variable = "MEDVIS_TEST_POSTGRES";
    private readonly string _server;
    private readonly string _database = $"web_{Guid.NewGuid():N}";

    public PostgresTestServer()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        Skip.If(string.IsNullOrWhiteSpace(server), $"{Variable} is not set: no PostgreSQL server to test against.");
        _server = server!;
        Execute($"CREATE DATABASE {_database}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;
    }

    /// <summary>The connection string of this test's database.</summary>
    public string ConnectionString { get; }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
