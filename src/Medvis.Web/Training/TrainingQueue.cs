using System.Threading.Channels;

namespace Medvis.Web.Training;

/// <summary>Run ids waiting for the <see cref="TrainingWorker"/>, in the order they were queued.</summary>
public sealed class TrainingQueue
{
    private readonly Channel<int> _runs = Channel.CreateUnbounded<int>(new() { SingleReader = true });

    public void Enqueue(int runId) => _runs.Writer.TryWrite(runId);

    internal ChannelReader<int> Reader => _runs.Reader;
}
