using Npgsql;
using static Medvis.Core.Storage.Postgres.PostgresDocuments;

namespace Medvis.Core.Storage.Postgres;

/// <summary>Users in table <c>users</c>; the lower-cased name is unique, so two processes cannot add the same name.</summary>
internal sealed class PostgresUserRepository(PostgresDocuments documents) : IUserRepository
{
    private static readonly Action<UserRecord, int> SetId = (u, id) => u.Id = id;

    public UserRecord Add(string name, UserRole role)
    {
        var record = UserRecord.Create(name, role);
        try
        {
            record.Id = documents.Insert("INSERT INTO users (name_lower, doc) VALUES (@name, @doc) RETURNING id",
                Parameter("name", record.Name.ToLowerInvariant()), Doc(record));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ArgumentException($"There is already a user called {record.Name}.", e);
        }
        return record;
    }

    public UserRecord? Get(int id) =>
        documents.Query("SELECT id, doc FROM users WHERE id = @id", SetId, Parameter("id", id)).SingleOrDefault();

    public UserRecord? FindByName(string name) =>
        documents.Query("SELECT id, doc FROM users WHERE name_lower = @name", SetId,
            Parameter("name", name.Trim().ToLowerInvariant())).SingleOrDefault();

    public IReadOnlyList<UserRecord> All() => documents.Query("SELECT id, doc FROM users ORDER BY id", SetId);

    public bool AnAdminCanSignIn() => All().Any(u => u.Role == UserRole.Admin && !u.Disabled && u.PasswordHash != null);

    public bool Update(int id, Action<UserRecord> change) =>
        documents.Update("users", id, change, SetId, u => [("name_lower", u.Name.Trim().ToLowerInvariant())]) is not null;
}
