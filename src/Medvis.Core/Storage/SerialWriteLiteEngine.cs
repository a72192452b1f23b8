using LiteDB;
using LiteDB.Engine;

namespace Medvis.Core.Storage;

/// <summary>
/// LiteDB's engine with one write at a time across all collections. LiteDB 5.0.x lets transactions on different
/// collections write at once, and those race on the file's list of free pages: under a run that saves checkpoints
/// every epoch while people sign in, tag and audit, an insert fails with "empty page must be defined as empty type"
/// and the list can stay broken (LiteDB issues 1940, 2503, 2825; fixed after 5.0.21, the newest release). Reads
/// are not held up; every call that writes takes the one lock for its (automatic) transaction.
/// </summary>
/// <param name="engine">The engine whose writes are serialised; disposed with this one.</param>
public sealed class SerialWriteLiteEngine(ILiteEngine engine) : ILiteEngine
{
    private readonly ILiteEngine _engine = engine;
    private readonly Lock _write = new();

    private T Write<T>(Func<ILiteEngine, T> call)
    {
        lock (_write) return call(_engine);
    }

    public IBsonDataReader Query(string collection, Query query) => _engine.Query(collection, query);
    public BsonValue Pragma(string name) => _engine.Pragma(name);

    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(e => e.Insert(collection, docs, autoId));
    public int Update(string collection, IEnumerable<BsonDocument> docs) => Write(e => e.Update(collection, docs));
    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Write(e => e.UpdateMany(collection, transform, predicate));
    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(e => e.Upsert(collection, docs, autoId));
    public int Delete(string collection, IEnumerable<BsonValue> ids) => Write(e => e.Delete(collection, ids));
    public int DeleteMany(string collection, BsonExpression predicate) => Write(e => e.DeleteMany(collection, predicate));
    public bool DropCollection(string name) => Write(e => e.DropCollection(name));
    public bool RenameCollection(string name, string newName) => Write(e => e.RenameCollection(name, newName));
    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Write(e => e.EnsureIndex(collection, name, expression, unique));
    public bool DropIndex(string collection, string name) => Write(e => e.DropIndex(collection, name));
    public bool Pragma(string name, BsonValue value) => Write(e => e.Pragma(name, value));
    public int Checkpoint() => Write(e => e.Checkpoint());
    public long Rebuild(RebuildOptions options) => Write(e => e.Rebuild(options));

    // Explicit transactions would hold the lock across calls; Medvis uses none, so these only pass through.
    public bool BeginTrans() => _engine.BeginTrans();
    public bool Commit() => Write(e => e.Commit());
    public bool Rollback() => _engine.Rollback();

    public void Dispose()
    {
        lock (_write) _engine.Dispose();
    }
}
