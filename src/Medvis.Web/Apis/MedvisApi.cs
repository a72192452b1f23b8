using Medvis.Core.Runs;
using System.Globalization;
using System.Text;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medvis.Web.Apis;

/// <summary>
/// Plain HTTP endpoints the pages link to: image thumbnails and CSV exports. All are reads: dataset images need a
/// signed-in user, a run's files also open for a share link of that run.
/// </summary>
public static class MedvisApi
{
    public static IEndpointRouteBuilder MapMedvisApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(MedvisClaims.ReaderPolicy).AddEndpointFilter(RunReadFilter);
        api.MapGet("/datasets/{datasetId:int}/images/{index:int}.png", DatasetImage);
        api.MapGet("/runs/{runId:int}/images/{point:int}.png", RunPointImage);
        api.MapGet("/runs/{runId:int}/coordinates.csv", Coordinates);
        api.MapGet("/runs/{runId:int}/tags.csv", Tags);
        api.MapGet("/runs/{runId:int}/run.json", Card);
        api.MapGet("/runs/{runId:int}/map.html", MapHtml);
        api.MapGet("/runs/{runId:int}/points.bin", PointColumns);
        api.MapGet("/compare/points.bin", ComparedPointColumns);
        api.MapGet("/compare/kept.bin", ComparedKeptColumn);
        api.MapPost("/datasets/upload", UploadDataset).RequireAuthorization(MedvisClaims.MemberPolicy);
        api.MapPost("/maps/import", ImportMap).RequireAuthorization(MedvisClaims.MemberPolicy);
        api.MapGet("/datasets/{datasetId:int}/metadata.json", MetadataSummary);
        api.MapPost("/datasets/{datasetId:int}/metadata", AttachMetadata).RequireAuthorization(MedvisClaims.MemberPolicy);
        api.MapDelete("/datasets/{datasetId:int}/metadata", RemoveMetadata).RequireAuthorization(MedvisClaims.MemberPolicy);
        api.MapGet("/runs/{runId:int}/neighbours/{point:int}.json", Neighbours);
        return app;
    }

    /// <summary>Image <paramref name="index"/> of a dataset split, as PNG.</summary>
    public static Results<FileContentHttpResult, NotFound, BadRequest<string>, ForbidHttpResult> DatasetImage(
        int datasetId, int index, DatasetService datasets, ThumbnailRenderer renderer, CallerResolver callers, HttpContext context,
        DatasetSplit split = DatasetSplit.Train, int scale = 3)
    {
        if (!AccessRules.CanBrowse(callers.Resolve(context.User))) return TypedResults.Forbid();
        if (datasets.Get(datasetId) is not { } dataset) return TypedResults.NotFound();
        try
        {
            var images = datasets.Load(dataset, split);
            if (index < 0 || index >= images.Count) return TypedResults.NotFound();
            return Png(renderer.Png(images, index, scale));
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            return TypedResults.BadRequest(UserErrors.Describe(e));
        }
    }

    /// <summary>The image behind a point of a finished run's map, as PNG.</summary>
    public static Results<FileContentHttpResult, NotFound> RunPointImage(
        int runId, int point, RunResults results, ThumbnailRenderer renderer, int scale = 3) =>
        results.ImageOfPoint(runId, point) is { } image ? Png(renderer.Png(image.Images, image.Index, scale)) : TypedResults.NotFound();

    /// <summary>The map as coords.csv, the same format <c>medvis train</c> writes and <c>medvis eval</c> reads.</summary>
    public static Results<FileContentHttpResult, NotFound> Coordinates(int runId, RunResults results) =>
        results.Coordinates(runId) is { } map
            ? TypedResults.File(Encoding.UTF8.GetBytes(CoordsCsv.Format(map)), "text/csv", $"run-{runId}-coordinates.csv")
            : TypedResults.NotFound();

    /// <summary>The run's reproducibility card, the run.json <c>medvis train --card</c> reproduces it from.</summary>
    public static Results<FileContentHttpResult, NotFound> Card(int runId, RunResults results) =>
        results.Card(runId) is { } card
            ? TypedResults.File(Encoding.UTF8.GetBytes(card.ToJson()), "application/json", $"run-{runId}-run.json")
            : TypedResults.NotFound();

    /// <summary>The map as one self-contained HTML file that opens offline (points, thumbnails, legend, metrics, card).</summary>
    public static Results<FileContentHttpResult, NotFound> MapHtml(int runId, MapHtmlExport export, CancellationToken cancellation) =>
        export.Export(runId, cancellation) is { } file ? TypedResults.File(file.Html, "text/html", file.FileName) : TypedResults.NotFound();

    /// <summary>
    /// The map's coordinates and labels as binary columns (see <see cref="LargeMaps.PointColumns"/>), what the WebGL
    /// view of large maps fetches instead of per-point JSON.
    /// </summary>
    public static Results<FileContentHttpResult, NotFound> PointColumns(int runId, LargeMaps maps) =>
        maps.PointColumns(runId) is { } bytes ? TypedResults.File(bytes, "application/octet-stream") : TypedResults.NotFound();

    /// <summary>
    /// Map <paramref name="map"/> (0-based) of the large comparison of <paramref name="runs"/> (ids, comma-separated)
    /// as binary columns: its shared points aligned onto the first map, with the first map's labels. The caller must
    /// be able to compare those runs (a share link only its own); 400 with the reason otherwise.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, BadRequest<string>, ForbidHttpResult>> ComparedPointColumns(
        string runs, int map, LargeComparisons comparisons, CallerResolver callers, HttpContext context)
    {
        var (comparison, problem, forbidden) = await OpenComparisonAsync(runs, map, comparisons, callers, context);
        if (forbidden) return TypedResults.Forbid();
        return comparison is null ? TypedResults.BadRequest(problem!) : TypedResults.File(comparison.PointColumns(map), "application/octet-stream");
    }

    /// <summary>
    /// Per shared image of map <paramref name="map"/> one byte: the share of its nearest neighbours it kept against
    /// the first map, times 255 (see <see cref="LargeComparison.KeptColumn"/>); 409 while the neighbourhoods are
    /// still being searched.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, BadRequest<string>, Conflict<string>, ForbidHttpResult>> ComparedKeptColumn(
        string runs, int map, LargeComparisons comparisons, CallerResolver callers, HttpContext context)
    {
        var (comparison, problem, forbidden) = await OpenComparisonAsync(runs, map, comparisons, callers, context);
        if (forbidden) return TypedResults.Forbid();
        if (comparison is null) return TypedResults.BadRequest(problem!);
        return comparison.KeptColumn(map) is { } bytes
            ? TypedResults.File(bytes, "application/octet-stream")
            : TypedResults.Conflict("The neighbourhoods of this comparison are still being searched.");
    }

    // The comparison, or the reason there is none, or forbidden: a run the caller may not read (a share link's other runs).
    private static async Task<(LargeComparison? Comparison, string? Problem, bool Forbidden)> OpenComparisonAsync(
        string runs, int map, LargeComparisons comparisons, CallerResolver callers, HttpContext context)
    {
        var caller = callers.Resolve(context.User);
        var ids = new List<int>();
        foreach (var part in (runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return (null, $"\"{part}\" is not a run id.", false);
            if (!AccessRules.CanRead(caller, id)) return (null, null, true);
            ids.Add(id);
        }
        var (comparison, problem) = await comparisons.OpenAsync(caller, ids);
        if (comparison is null) return (null, problem, false);
        return map < 0 || map >= comparison.Runs.Count ? (null, $"Map {map} is not one of the compared maps 0..{comparison.Runs.Count - 1}.", false) : (comparison, null, false);
    }

    /// <summary>
    /// A member's import of a map computed elsewhere: the body is a CSV of index,x,y (see <c>ImportedMapCsv</c>),
    /// attached to dataset <paramref name="datasetId"/>'s <paramref name="split"/> or, without a dataset, standing
    /// alone. 200 with the new run, or 400 with one line.
    /// </summary>
    public static async Task<Results<Ok<RunRecord>, BadRequest<string>, ForbidHttpResult>> ImportMap(
        MapImportService imports, InputLimits limits, CallerResolver callers, HttpContext context,
        string? name = null, int? datasetId = null, DatasetSplit split = DatasetSplit.Train, string fileName = "map.csv")
    {
        var caller = callers.Resolve(context.User);
        if (!AccessRules.CanImportMaps(caller)) return TypedResults.Forbid();
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limits.MaxUploadBytes + 1;
        if (context.Request.ContentLength > limits.MaxUploadBytes)
            return TypedResults.BadRequest($"{fileName}: the upload of {context.Request.ContentLength} bytes is over the limit of {limits.MaxUploadBytes} bytes ({InputLimits.HowToRaise(nameof(InputLimits.MaxUploadBytes))})");
        var result = await imports.ImportAsync(caller, context.Request.Body, fileName, name, datasetId, split, context.RequestAborted);
        return result.Run is { } run ? TypedResults.Ok(run) : TypedResults.BadRequest(result.Error ?? "The import was refused.");
    }

    /// <summary>tag,point,dataset_index for every tagged point of a run.</summary>
    public static Results<FileContentHttpResult, NotFound> Tags(int runId, RunResults results)
    {
        if (results.Result(runId) is not { } map) return TypedResults.NotFound();
        var csv = new StringBuilder("tag,point,dataset_index\n");
        foreach (var tag in results.Tags(runId))
        foreach (var point in tag.PointIndices.Where(p => p >= 0 && p < map.Count))
            csv.Append(CultureInfo.InvariantCulture, $"{CoordsCsv.Quote(tag.Label)},{point},{map.DatasetIndices[point]}\n");
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"run-{runId}-tags.csv");
    }

    /// <summary>CSV of selected map points (what the map view exports), with each point's file when <paramref name="fileNames"/> are known.</summary>
    public static string SelectionCsv(Core.Storage.RunResult map, IEnumerable<int> points, IReadOnlyList<string>? fileNames = null)
    {
        var csv = new StringBuilder(fileNames is null ? "point,dataset_index,label,class\n" : "point,dataset_index,label,class,file\n");
        foreach (var i in points.Where(p => p >= 0 && p < map.Count))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{map.DatasetIndices[i]},{map.Labels[i]},{CoordsCsv.Quote(map.ClassNames[map.Labels[i]])}");
            if (fileNames is not null) csv.Append(',').Append(CoordsCsv.Quote(fileNames[i]));
            csv.Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>Every route with a run id answers only callers who may read that run (403 otherwise).</summary>
    private static async ValueTask<object?> RunReadFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Request.RouteValues.TryGetValue("runId", out var value)
            && int.TryParse(value?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
        {
            var caller = context.HttpContext.RequestServices.GetRequiredService<CallerResolver>().Resolve(context.HttpContext.User);
            if (!AccessRules.CanRead(caller, runId)) return TypedResults.Forbid();
        }
        return await next(context);
    }

    /// <summary>
    /// A member's dataset upload: the request body is the file (an .npz, or a .zip of class folders) and
    /// <paramref name="name"/> its name. Registered like any dataset; 400 with one line when refused.
    /// </summary>
    public static async Task<Results<Ok<DatasetRecord>, BadRequest<string>, ForbidHttpResult>> UploadDataset(
        string name, DatasetUploads uploads, InputLimits limits, CallerResolver callers, HttpContext context, int imageSize = 28)
    {
        var caller = callers.Resolve(context.User);
        if (!AccessRules.CanUploadDatasets(caller)) return TypedResults.Forbid();
        // The server's own body limit (30 MB in Kestrel) would cut an upload short with a bare error: the upload
        // counts its bytes itself and refuses past Medvis:InputLimits:MaxUploadBytes with a message.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limits.MaxUploadBytes + 1;
        if (context.Request.ContentLength > limits.MaxUploadBytes)
            return TypedResults.BadRequest($"{name}: the upload of {context.Request.ContentLength} bytes is over the limit of {limits.MaxUploadBytes} bytes ({InputLimits.HowToRaise(nameof(InputLimits.MaxUploadBytes))})");
        var result = await uploads.UploadAsync(caller, name, context.Request.Body, imageSize, context.RequestAborted);
        return result.Dataset is { } dataset ? TypedResults.Ok(dataset) : TypedResults.BadRequest(result.Error ?? "The upload was refused.");
    }

    /// <summary>What a dataset's metadata holds: the file, rows, and each column with its kind and values (no per-image data).</summary>
    public static Results<Ok<MetadataSummaryJson>, NotFound, ForbidHttpResult> MetadataSummary(
        int datasetId, DatasetMetadataService metadata, CallerResolver callers, HttpContext context)
    {
        if (!AccessRules.CanBrowse(callers.Resolve(context.User))) return TypedResults.Forbid();
        return metadata.Get(datasetId) is { } table ? TypedResults.Ok(MetadataSummaryJson.Of(table)) : TypedResults.NotFound();
    }

    /// <summary>
    /// A member attaches a metadata CSV to a dataset: the request body is the file, <paramref name="name"/> its name.
    /// 400 with one line when refused.
    /// </summary>
    public static async Task<Results<Ok<MetadataSummaryJson>, BadRequest<string>, ForbidHttpResult>> AttachMetadata(
        int datasetId, DatasetMetadataService metadata, CallerResolver callers, HttpContext context, string name = "metadata.csv")
    {
        var caller = callers.Resolve(context.User);
        if (!AccessRules.CanAttachMetadata(caller)) return TypedResults.Forbid();
        var limit = metadata.Limits.MaxBytes;
        if (context.Request.ContentLength > limit)
            return TypedResults.BadRequest($"{name}: a file of {context.Request.ContentLength} bytes is over the limit of {limit} bytes ({Core.Data.Metadata.MetadataLimits.HowToRaise(nameof(Core.Data.Metadata.MetadataLimits.MaxBytes))})");
        using var body = new MemoryStream();
        // Read at most one byte past the limit: the parser then refuses it with the setting's name.
        var buffer = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0 && body.Length <= limit)
            body.Write(buffer, 0, (int)Math.Min(read, limit + 1 - body.Length));
        var result = metadata.Attach(caller, datasetId, name, body.ToArray());
        return result.Metadata is { } table ? TypedResults.Ok(MetadataSummaryJson.Of(table)) : TypedResults.BadRequest(result.Error ?? "The metadata was refused.");
    }

    /// <summary>A member removes a dataset's metadata.</summary>
    public static Results<NoContent, NotFound, ForbidHttpResult> RemoveMetadata(
        int datasetId, DatasetMetadataService metadata, CallerResolver callers, HttpContext context)
    {
        var caller = callers.Resolve(context.User);
        if (!AccessRules.CanAttachMetadata(caller)) return TypedResults.Forbid();
        return metadata.Remove(caller, datasetId) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>The 15 nearest neighbours of a map point on the map and in backbone features, with their overlap.</summary>
    public static async Task<Results<Ok<PointNeighbours>, NotFound>> Neighbours(int runId, int point, RunSimilarity similarity) =>
        await similarity.NeighboursAsync(runId, point) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    private static FileContentHttpResult Png(byte[] bytes) => TypedResults.File(bytes, "image/png");
}

/// <summary>A metadata column as the API describes it.</summary>
public sealed record MetadataColumnJson(string Name, string Kind, IReadOnlyList<string> Categories, double? Min, double? Max, int Missing);

/// <summary>A dataset's metadata as the API describes it (no per-image values).</summary>
/// <param name="Notes">One line per identifier column saying how it was kept (see <see cref="Core.Data.Metadata.DatasetMetadata.IdentifierNotes"/>).</param>
public sealed record MetadataSummaryJson(int DatasetId, string FileName, string KeyColumn, string KeyKind, int Rows, int Images,
    string UploadedBy, DateTime UploadedAtUtc, IReadOnlyList<MetadataColumnJson> Columns, IReadOnlyList<string> Notes)
{
    /// <summary>Summarises a stored table.</summary>
    public static MetadataSummaryJson Of(Core.Data.Metadata.DatasetMetadata table) => new(
        table.DatasetId, table.FileName, table.KeyColumn, table.KeyKind, table.RowCount, table.ImageCount, table.UploadedBy, table.UploadedAtUtc,
        table.Columns.Select(c =>
        {
            var (min, max) = c.Kind == Core.Data.Metadata.MetadataColumnKind.Continuous ? c.Range() : (double.NaN, double.NaN);
            return new MetadataColumnJson(c.Name, c.Kind.ToString().ToLowerInvariant(), c.Categories,
                double.IsNaN(min) ? null : min, double.IsNaN(max) ? null : max, Enumerable.Range(0, table.ImageCount).Count(i => !c.HasValue(i)));
        }).ToList(), table.IdentifierNotes());
}
