using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>
/// Training runs in table <c>runs</c>. <see cref="Update"/> locks the row, so a worker on another machine writing
/// progress and the web app cancelling never overwrite each other.
/// </summary>
internal sealed class PostgresRunRepository(PostgresDocuments documents) : IRunRepository
{
    private static readonly Action<RunRecord, int> SetId = (r, id) => r.Id = id;

    public RunRecord Add(RunRecord run)
    {
        run.Id = documents.Insert("INSERT INTO runs (status, doc) VALUES (@status, @doc) RETURNING id",
            Parameter("status", run.Status.ToString()), Doc(run));
        return run;
    }

    public RunRecord? Get(int id) =>
        documents.Query("SELECT id, doc FROM runs WHERE id = @id", SetId, Parameter("id", id)).SingleOrDefault();

    public IReadOnlyList<RunRecord> All() => documents.Query("SELECT id, doc FROM runs ORDER BY id DESC", SetId);

    public IReadOnlyList<RunRecord> WithStatus(params RunStatus[] statuses) =>
        documents.Query("SELECT id, doc FROM runs WHERE status = ANY(@statuses) ORDER BY id", SetId,
            Parameter("statuses", statuses.Select(s => s.ToString()).ToArray()));

    // Counted server-side from one field of each document; no run travels to the app.
    public int CountForDataset(int datasetId)
    {
        using var command = documents.DataSource.CreateCommand("SELECT count(*) FROM runs WHERE (doc->>'DatasetId')::int = @dataset");
        command.Parameters.Add(Parameter("dataset", datasetId));
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Grouped on the status column the updates keep beside each document.
    public IReadOnlyDictionary<RunStatus, int> CountByStatus()
    {
        using var command = documents.DataSource.CreateCommand("SELECT status, count(*) FROM runs GROUP BY status");
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<RunStatus, int>();
        while (reader.Read())
            if (Enum.TryParse<RunStatus>(reader.GetString(0), out var status)) counts[status] = Convert.ToInt32(reader.GetInt64(1));
        return counts;
    }

    public RunRecord? Update(int id, Action<RunRecord> change) =>
        documents.Update("runs", id, change, SetId, r => [("status", r.Status.ToString())]);

    // Reads the one flag server-side rather than the whole document (history and snapshot) on every poll.
    public bool IsCancelRequested(int id) => documents.Calls.Run(() =>
    {
        using var command = documents.DataSource.CreateCommand("SELECT coalesce((doc->>'CancelRequested')::boolean, false) FROM runs WHERE id = @id");
        command.Parameters.Add(Parameter("id", id));
        return command.ExecuteScalar() is true;
    });

    public bool Delete(int id) => documents.Execute("DELETE FROM runs WHERE id = @id", Parameter("id", id)) > 0;
}
