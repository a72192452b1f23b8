using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Medvis.Core.Compute;
using Medvis.Core.Augmentation;
using Medvis.Core.Evaluation;
using Medvis.Core.Training;
using Spectre.Console;

namespace Medvis.Cli.Commands;

/// <summary><c>medvis bench training</c>: training throughput (images/s) per backbone and batch size on CPU or GPU.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var backbones = new Option<string>("--backbones") { Description = "Comma-separated backbone names", DefaultValueFactory = _ => "tiny,small,resnet18" };
        var batches = new Option<string>("--batch") { Description = "Comma-separated batch sizes", DefaultValueFactory = _ => "128,256" };
        var size = new Option<int>("--size") { Description = "Image side in pixels", DefaultValueFactory = _ => 28 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per configuration", DefaultValueFactory = _ => 20 };
        var augment = new Option<string>("--augment") { Description = AugmentationOptions.SpecHelp, DefaultValueFactory = _ => "rotate" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var precisions = new Option<string>("--precision") { Description = "Comma-separated precisions to measure side by side: fp32, bf16", DefaultValueFactory = _ => "fp32,bf16" };
        var layouts = new Option<bool>("--both-layouts") { Description = "Measure NCHW and channels-last (NHWC) for each precision (default: the layout training uses: NCHW for fp32, NHWC for bf16)" };
        var pytorch = new Option<bool>("--pytorch") { Description = "Also time the same model in PyTorch (/usr/bin/python3 with torch), same precision and layout", DefaultValueFactory = _ => true };
        var training = new Command("training", "Training throughput (two augmented views, forward, backward, SGD step) per backbone, batch size and precision")
        {
            backbones, batches, size, steps, device, augment, precisions, layouts, pytorch,
        };
        training.SetAction((parse, cancellation) =>
        {
            var augmentation = AugmentationOptions.Parse(parse.GetValue(augment)!);
            var batchSizes = parse.GetValue(batches)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(text => int.TryParse(text, out var batchSize) ? batchSize : throw new ArgumentException($"--batch: '{text}' is not a whole number"))
                .ToArray();
            var precisionList = parse.GetValue(precisions)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var measurements = ThroughputBenchmark.Run(parse.GetValue(backbones)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                batchSizes, parse.GetValue(size), parse.GetValue(steps), parse.GetValue(device)!, augmentation, cancellation, precisionList, parse.GetValue(layouts));
            var yardstick = parse.GetValue(pytorch) ? PyTorchYardstick.Find() : null;
            AnsiConsole.MarkupLineInterpolated($"CPU bf16 flags: {(ComputePrecision.Bf16CpuFlags() is { Count: > 0 } flags ? string.Join(", ", flags) : "none")}; {ComputeDevice.Describe()}");
            AnsiConsole.MarkupLineInterpolated($"PyTorch yardstick: {yardstick?.Version ?? "none (no /usr/bin/python3 with torch, or --pytorch false)"}");
            var table = new Table().AddColumns("device", "backbone", "image", "batch", "layout", "precision", "images/s", "s/step", "GFLOP/s", "× fp32", "PyTorch images/s");
            var fp32 = new Dictionary<(string, int, bool?), double>();
            AnsiConsole.Live(table).Start(context =>
            {
                foreach (var m in measurements)
                {
                    // × fp32: against fp32 in the same layout when measured, else against fp32 in its training layout.
                    if (m.Precision == ComputePrecision.Float32)
                    {
                        fp32[(m.Backbone, m.BatchSize, m.ChannelsLast)] = m.ImagesPerSecond;
                        if (!m.ChannelsLast) fp32[(m.Backbone, m.BatchSize, null)] = m.ImagesPerSecond;
                    }
                    var ratio = fp32.TryGetValue((m.Backbone, m.BatchSize, m.ChannelsLast), out var baseline)
                        || fp32.TryGetValue((m.Backbone, m.BatchSize, null), out baseline) ? (m.ImagesPerSecond / baseline).ToString("F2") : "";
                    var reference = m.Device == "CPU" ? yardstick?.ImagesPerSecond(m.Backbone, m.BatchSize, m.ImageSize, m.Precision, m.ChannelsLast, m.Steps) : null;
                    table.AddRow(m.Device, m.Backbone, $"{m.ImageSize}px", m.BatchSize.ToString(), m.ChannelsLast ? "NHWC" : "NCHW", m.Precision,
                        m.ImagesPerSecond.ToString("F0"), m.SecondsPerStep.ToString("F3"), m.GigaflopsPerSecond.ToString("F1"), ratio,
                        reference is { } r ? r.ToString("F0") : "");
                    context.Refresh();
                }
            });
            return Task.FromResult(0);
        });
        var points = new Option<int>("--points") { Description = "Points in the synthetic 2-D map", DefaultValueFactory = _ => 100_000 };
        var classes = new Option<int>("--classes") { Description = "Classes in the synthetic map", DefaultValueFactory = _ => 9 };
        var metrics = new Command("metrics", "kNN accuracy + silhouette timing on a synthetic 2-D map (100,000 points, 9 classes)") { points, classes };
        metrics.SetAction(parse =>
        {
            var timing = EvaluationBenchmark.MapMetrics(parse.GetValue(points), parse.GetValue(classes));
            AnsiConsole.MarkupLineInterpolated($"{timing.Points} points, {timing.Classes} classes: kNN {timing.KnnSeconds:F2} s, silhouette {timing.SilhouetteSeconds:F2} s, total {timing.TotalSeconds:F2} s");
            return 0;
        });
        var tsnePoints = new Option<int>("--points") { Description = "Random points", DefaultValueFactory = _ => 12_000 };
        var dims = new Option<int>("--dims") { Description = "Dimensions", DefaultValueFactory = _ => 784 };
        var tsne = new Command("tsne", "t-SNE timing on random points (12,000 × 784)") { tsnePoints, dims };
        tsne.SetAction(parse =>
        {
            var timing = EvaluationBenchmark.Tsne(parse.GetValue(tsnePoints), parse.GetValue(dims));
            AnsiConsole.MarkupLineInterpolated($"t-SNE of {timing.Points}×{timing.Dimensions}: preparation {timing.PreparationSeconds:F1} s, optimisation {timing.OptimisationSeconds:F1} s, total {timing.TotalSeconds:F1} s");
            return 0;
        });
        return new Command("bench", "Benchmarks") { training, metrics, tsne };
    }

    /// <summary>
    /// The same stage-1 step in PyTorch (random inputs, no augmentation; the backbones of BackboneFactory, head
    /// features→1024→128, Cauchy InfoNCE, SGD momentum 0.9, weight decay 5e-4), for a side-by-side with the libtorch that
    /// TorchSharp drives, on as many threads as TorchSharp uses. bf16 uses PyTorch's CPU autocast. Mirrors
    /// ../shared/tools/pytorch_side_by_side.py.
    /// </summary>
    private sealed class PyTorchYardstick(string version)
    {
        private const string Python = "/usr/bin/python3";

        private const string Script = """
            import sys, time, torch, torch.nn as nn
            torch.manual_seed(0)
            class Block(nn.Module):
                def __init__(s, cin, cout, stride):
                    super().__init__()
                    s.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.b1 = nn.BatchNorm2d(cout)
                    s.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(cout)
                    s.sc = nn.Sequential() if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                def forward(s, x):
                    return torch.relu(s.b2(s.c2(torch.relu(s.b1(s.c1(x))))) + s.sc(x))
            SPECS = {"small": ([32, 64, 128], [1, 1, 1], 2), "tiny": ([16, 32, 64], [1, 1, 1], 2), "resnet18": ([64, 128, 256, 512], [2, 2, 2, 2], 1)}
            name, b, size, precision, layout, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
            torch.set_num_threads(int(sys.argv[7]))
            widths, blocks, stem = SPECS[name]
            layers = [nn.Conv2d(3, widths[0], 3, stem, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU(inplace=True)]
            c = widths[0]
            for i, (w, n) in enumerate(zip(widths, blocks)):
                for j in range(n):
                    layers.append(Block(c, w, 2 if i > 0 and j == 0 else 1)); c = w
            layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 1024), nn.ReLU(), nn.Linear(1024, 128)]
            net = nn.Sequential(*layers)
            fmt = torch.channels_last if layout == "NHWC" else torch.contiguous_format
            net = net.to(memory_format=fmt)
            opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
            x = torch.rand(2 * b, 3, size, size).to(memory_format=fmt)
            mask = torch.eye(2 * b, dtype=torch.bool)
            pos = torch.cat([torch.arange(b, 2 * b), torch.arange(0, b)])
            def step():
                opt.zero_grad()
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
                    z = net(x)
                z = z.float()
                logits = (-torch.log1p(torch.cdist(z, z).pow(2))).masked_fill(mask, float("-inf"))
                nn.functional.cross_entropy(logits, pos).backward(); opt.step()
            for _ in range(3): step()
            t = time.perf_counter()
            for _ in range(steps): step()
            print(b / ((time.perf_counter() - t) / steps))
            """;

        public string Version { get; } = version;

        /// <summary>The yardstick when <c>/usr/bin/python3 -c 'import torch'</c> works, else null.</summary>
        public static PyTorchYardstick? Find()
        {
            if (!File.Exists(Python)) return null;
            var version = RunPython(["-c", "import torch; print('PyTorch ' + torch.__version__)"], TimeSpan.FromMinutes(1));
            return version is null ? null : new PyTorchYardstick(version.Trim());
        }

        /// <summary>Images/s of the PyTorch step; null when the configuration failed there (e.g. a backbone it lacks).</summary>
        public double? ImagesPerSecond(string backbone, int batchSize, int imageSize, string precision, bool channelsLast, int steps)
        {
            var output = RunPython(["-c", Script, backbone, batchSize.ToString(CultureInfo.InvariantCulture), imageSize.ToString(CultureInfo.InvariantCulture),
                precision, channelsLast ? "NHWC" : "NCHW", steps.ToString(CultureInfo.InvariantCulture),
                TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(30));
            return double.TryParse(output?.Trim().Split('\n')[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        private static string? RunPython(IEnumerable<string> arguments, TimeSpan limit)
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start);
            if (process is null) return null;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(limit)) { process.Kill(entireProcessTree: true); return null; }
            _ = error.Result;
            return process.ExitCode == 0 ? output : null;
        }
    }
}
