using Npgsql;

namespace Medvis.Core.Tests.Storage;

/// <summary>
/// A fresh schema on the PostgreSQL server that <c>MEDVIS_TEST_POSTGRES</c> names (scripts/test.sh starts a throwaway
/// cluster and sets it), dropped on dispose. Tests skip when the variable is unset.
/// </summary>
public sealed class PostgresTestDatabase : IDisposable
{
    /// <summary>The environment variable holding the server's connection string.</summary>
    public const string Variable = "MEDVIS_TEST_POSTGRES";

    private readonly string? _server = Environment.GetEnvironmentVariable(Variable);
    private readonly string _schema = $"test_{Guid.NewGuid():N}";
    private bool _created;

    /// <summary>A connection string whose tables land in this test's own schema; skips the test without a server.</summary>
    public string ConnectionString
    {
        get
        {
            Skip.If(string.IsNullOrWhiteSpace(_server), $"{Variable} is not set: no PostgreSQL server to test against.");
            if (!_created)
            {
                Execute(_server!, $"CREATE SCHEMA {_schema}");
                _created = true;
            }
            return new NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema }.ConnectionString;
        }
    }

    public void Dispose()
    {
        if (_created) Execute(_server!, $"DROP SCHEMA {_schema} CASCADE");
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
