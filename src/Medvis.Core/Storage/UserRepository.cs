using LiteDB;

namespace Medvis.Core.Storage;

/// <summary>The people who may sign in, with their roles and password hashes.</summary>
public sealed class UserRepository(ILiteDatabase db) : IUserRepository
{
    internal const string Collection = "users";
    private ILiteCollection<UserRecord> Items => db.GetCollection<UserRecord>(Collection);

    /// <summary>Stores a new user without a password.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long, or taken (ignoring case).</exception>
    public UserRecord Add(string name, UserRole role)
    {
        var record = UserRecord.Create(name, role);
        if (FindByName(record.Name) is not null) throw new ArgumentException($"There is already a user called {record.Name}.");
        Items.Insert(record);
        return record;
    }

    public UserRecord? Get(int id) => Items.FindById(id);

    /// <summary>The user of that name, ignoring case, or null.</summary>
    public UserRecord? FindByName(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        return Items.FindAll().FirstOrDefault(u => u.Name.ToLowerInvariant() == lower);
    }

    /// <summary>Every user, oldest first.</summary>
    public IReadOnlyList<UserRecord> All() => Items.FindAll().OrderBy(u => u.Id).ToList();

    /// <summary>True when some enabled admin has a password, i.e. someone can sign in to manage the app.</summary>
    public bool AnAdminCanSignIn() => Items.Find(u => u.Role == UserRole.Admin && !u.Disabled).Any(u => u.PasswordHash != null);

    /// <summary>Changes a stored user; false when there is no such user.</summary>
    public bool Update(int id, Action<UserRecord> change)
    {
        var record = Items.FindById(id);
        if (record is null) return false;
        change(record);
        return Items.Update(record);
    }
}
