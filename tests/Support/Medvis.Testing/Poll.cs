namespace Medvis.Testing;

/// <summary>
/// Waits for a condition instead of sleeping for a guessed time: checks it every few milliseconds and fails the test,
/// naming what it waited for, when the time runs out.
/// </summary>
public static class Poll
{
    /// <summary>How often the condition is checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        if (!await HoldsWithinAsync(condition, timeout)) Assert.Fail($"Waited {timeout.TotalSeconds:G3} s for {what}.");
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline) Assert.Fail($"Waited {timeout.TotalSeconds:G3} s for {what}.");
            await Task.Delay(Interval);
        }
    }

    /// <summary>Whether <paramref name="condition"/> came to hold within <paramref name="timeout"/> (for tests that go on either way).</summary>
    public static async Task<bool> HoldsWithinAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(Interval);
        }
        return true;
    }

    /// <summary>The synchronous form, for tests that are not async.</summary>
    public static void Until(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(condition, timeout, what).GetAwaiter().GetResult();
}
