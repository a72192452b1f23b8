using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Medvis.Core.Storage.Postgres;

/// <summary>
/// Large values in bytea columns, moved as streams: a write hands Npgsql a stream to send, a read takes the column as
/// the stream Npgsql reads off the connection (sequential access), so no value is ever turned into a string and the
/// reader decides how much to buffer.
/// </summary>
internal static class PostgresBlobs
{
    /// <summary>A bytea parameter that Npgsql fills from <paramref name="data"/>.</summary>
    public static NpgsqlParameter Parameter(string name, Stream data) => new(name, NpgsqlDbType.Bytea) { Value = data };

    /// <summary>
    /// Runs <paramref name="sql"/>, which selects at most one row, and hands its reader to <paramref name="read"/>;
    /// null when there is no row. The reader is sequential: <paramref name="read"/> reads the columns in order and
    /// takes the blob with <see cref="NpgsqlDataReader.GetStream(int)"/>.
    /// </summary>
    public static T? Read<T>(PostgresDocuments documents, string sql, Func<NpgsqlDataReader, T> read, params NpgsqlParameter[] parameters)
        where T : class => documents.Calls.Run(() =>
    {
        using var command = documents.DataSource.CreateCommand(sql);
        command.Parameters.AddRange(PostgresDocuments.Fresh(parameters));
        using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow);
        return reader.Read() ? read(reader) : null;
    });

    /// <summary>Column <paramref name="ordinal"/> as bytes, copied from the column's stream.</summary>
    public static byte[] ReadBytes(NpgsqlDataReader reader, int ordinal)
    {
        using var blob = reader.GetStream(ordinal);
        using var buffer = blob.CanSeek ? new MemoryStream((int)blob.Length) : new MemoryStream();
        blob.CopyTo(buffer);
        return buffer.ToArray();
    }
}
