using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Medvis.Core.Storage.Postgres;

/// <summary>
/// Records kept as JSON documents in a <c>doc jsonb</c> column beside a serial <c>id</c>: how they are written, read
/// and stamped with their id. Enums are stored by name, as in the LiteDB file.
/// </summary>
internal sealed class PostgresDocuments(NpgsqlDataSource dataSource, ReconnectingCalls calls)
{
    /// <summary>Runs a call again while the server is away; every call below goes through it.</summary>
    public ReconnectingCalls Calls => calls;

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>A jsonb parameter holding <paramref name="record"/>.</summary>
    public static NpgsqlParameter Doc<T>(T record) =>
        new("doc", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(record, Json) };

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)
        ?? throw new InvalidDataException($"A stored {typeof(T).Name} is empty.");

    /// <summary>Runs <paramref name="sql"/> (which selects <c>id, doc</c>) and reads each row, setting the id.</summary>
    public List<T> Query<T>(string sql, Action<T, int> setId, params NpgsqlParameter[] parameters) =>
        calls.Run(() => QueryOnce(sql, setId, Fresh(parameters)));

    private List<T> QueryOnce<T>(string sql, Action<T, int> setId, NpgsqlParameter[] parameters)
    {
        using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        using var reader = command.ExecuteReader();
        var records = new List<T>();
        while (reader.Read())
        {
            var record = Read<T>(reader.GetString(1));
            setId(record, reader.GetInt32(0));
            records.Add(record);
        }
        return records;
    }

    /// <summary>Runs an INSERT … RETURNING id and gives back the new id.</summary>
    public int Insert(string sql, params NpgsqlParameter[] parameters) => calls.Run(() =>
    {
        using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(Fresh(parameters));
        return (int)command.ExecuteScalar()!;
    });

    /// <summary>Runs a statement and returns the number of rows it changed.</summary>
    public int Execute(string sql, params NpgsqlParameter[] parameters) => calls.Run(() =>
    {
        using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(Fresh(parameters));
        return command.ExecuteNonQuery();
    });

    /// <summary>
    /// Copies of the parameters for one try (a parameter belongs to one command), with stream values rewound: a try
    /// cut off by a lost connection may have sent part of a blob.
    /// </summary>
    public static NpgsqlParameter[] Fresh(NpgsqlParameter[] parameters) => parameters.Select(p =>
    {
        if (p.Value is Stream { CanSeek: true } stream) stream.Position = 0;
        return p.Clone();
    }).ToArray();

    /// <summary>
    /// Reads the document of row <paramref name="id"/> locked (SELECT … FOR UPDATE), applies <paramref name="change"/>
    /// and writes it back with the columns <paramref name="columns"/> derives from it, in one transaction: concurrent
    /// changes from any process wait for each other instead of overwriting each other.
    /// </summary>
    public T? Update<T>(string table, int id, Action<T> change, Action<T, int> setId, Func<T, (string Column, object Value)[]>? columns = null)
        where T : class => calls.Run(() => UpdateOnce(table, id, change, setId, columns));

    private T? UpdateOnce<T>(string table, int id, Action<T> change, Action<T, int> setId, Func<T, (string Column, object Value)[]>? columns)
        where T : class
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        T record;
        using (var select = new NpgsqlCommand($"SELECT doc FROM {table} WHERE id = @id FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue("id", id);
            if (select.ExecuteScalar() is not string json) return null;
            record = Read<T>(json);
        }
        setId(record, id);
        change(record);
        var extra = columns?.Invoke(record) ?? [];
        var sets = string.Join("", extra.Select(c => $", {c.Column} = @{c.Column}"));
        using (var update = new NpgsqlCommand($"UPDATE {table} SET doc = @doc{sets} WHERE id = @id", connection, transaction))
        {
            update.Parameters.Add(Doc(record));
            update.Parameters.AddWithValue("id", id);
            foreach (var (column, value) in extra) update.Parameters.AddWithValue(column, value);
            update.ExecuteNonQuery();
        }
        transaction.Commit();
        return record;
    }

    public static NpgsqlParameter Parameter(string name, object? value) => new(name, value ?? DBNull.Value);
}
