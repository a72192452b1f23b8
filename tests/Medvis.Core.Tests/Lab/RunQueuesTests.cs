using Medvis.Core.Lab;
using Medvis.Core.Storage;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Lab;

public sealed class RunQueuesTests
{
    [Theory]
    [InlineData("cuda", RunQueues.Cuda)]
    [InlineData("CUDA", RunQueues.Cuda)]
    [InlineData("cpu", RunQueues.Cpu)]
    [InlineData("auto", RunQueues.Cpu)]
    public void OnlyRunsAskingForCudaWaitInTheCudaQueue(string device, string queue) =>
        Assert.Equal(queue, RunQueues.For(new TrainingOptions { Device = device }));

    [Fact]
    public void QueueListsAreParsedInOrderAndUnknownNamesAreRefused()
    {
        Assert.Equal(["cuda", "cpu"], RunQueues.Parse(" CUDA, cpu,cuda ", out var none)!);
        Assert.Null(none);
        Assert.Null(RunQueues.Parse("gpu,cpu", out var error));
        Assert.Contains("gpu", error);
        Assert.Null(RunQueues.Parse(" , ", out var empty));
        Assert.Contains("at least one", empty);
    }
}

public sealed class RunEventNoticeTests
{
    [Fact]
    public void AnEpochNoticeRoundTripsWithItsPoint()
    {
        var notice = new RunEventNotice(7, RunEventKind.Epoch) { Point = new EpochPoint { GlobalEpoch = 3, Loss = 1.25, EtaSeconds = 9 } };

        var back = RunEventNotice.FromPayload(notice.ToPayload())!;

        Assert.Equal((7, RunEventKind.Epoch, 3, 1.25, 9.0), (back.RunId, back.Kind, back.Point!.GlobalEpoch, back.Point.Loss, back.Point.EtaSeconds!.Value));
    }

    [Fact]
    public void LongTextsAreCutToStayUnderPostgresNotifyLimit()
    {
        var payload = new RunEventNotice(1, RunEventKind.Status) { Status = RunStatus.Failed, Error = new string('x', 20_000) }.ToPayload();

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(payload) < 8000);
        Assert.Equal(RunStatus.Failed, RunEventNotice.FromPayload(payload)!.Status);
        Assert.Null(RunEventNotice.FromPayload("not json"));
    }
}
