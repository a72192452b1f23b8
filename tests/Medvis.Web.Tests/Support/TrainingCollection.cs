namespace Medvis.Web.Tests.Support;

/// <summary>Tests that train real models run one after another: on 2 cores, parallel training only thrashes.</summary>
[CollectionDefinition(Name)]
public sealed class TrainingCollection
{
    public const string Name = "Training";
}
