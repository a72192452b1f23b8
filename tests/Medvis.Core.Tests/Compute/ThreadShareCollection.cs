namespace Medvis.Core.Tests.Compute;

/// <summary>Tests that run alone: they set libtorch's process-wide thread count, which would change the last bits of maps trained beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadShareCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "thread share";
}
