using System.CommandLine;
using Medvis.Core.Data;
using Medvis.Core.Data.LabelTables;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>--labels file.csv:column</c> with <c>--labels-key</c> and <c>--labels-group</c>: a folder of images whose
/// classes come from a table. One set per command instance (symbols must not be shared between trees).
/// </summary>
internal sealed class LabelTableOptions
{
    public readonly Option<string?> Labels = new("--labels") { Description = LabelTableSpec.OptionHelp };
    public readonly Option<string?> Key = new("--labels-key") { Description = "With --labels: the column naming each image (file name, with or without extension, or path below the folder); default: image_id, file, path, … else the first column" };
    public readonly Option<string?> Group = new("--labels-group") { Description = "With --labels: a column whose images stay together when the evaluation splits (e.g. lesion_id), so near-identical images do not score each other" };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Labels);
        command.Options.Add(Key);
        command.Options.Add(Group);
    }

    /// <summary><paramref name="data"/>, labelled by the table when <c>--labels</c> is given.</summary>
    /// <exception cref="ArgumentException">A key or group column without <c>--labels</c>, or a malformed <c>--labels</c>.</exception>
    public string Apply(ParseResult parse, string data)
    {
        if (parse.GetValue(Labels) is not { } labels)
        {
            if (parse.GetValue(Key) is not null || parse.GetValue(Group) is not null)
                throw new ArgumentException("--labels-key and --labels-group need --labels file.csv:column.");
            return data;
        }
        return DatasetCatalog.WithLabels(data, LabelTableSpec.Parse(labels, parse.GetValue(Key), parse.GetValue(Group)));
    }
}
