namespace Medvis.Core.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler on the reporting thread, in order. Unlike
/// <see cref="Progress{T}"/> it never posts to a synchronisation context, so no event arrives after training returns.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
