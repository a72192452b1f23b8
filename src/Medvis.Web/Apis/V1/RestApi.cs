using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Medvis.Web.Apis.V1;

/// <summary>
/// The versioned REST API under <c>/api/v1</c>, its OpenAPI document (<c>/openapi/v1.json</c>) and the interactive
/// reference page (<c>/scalar</c>). Scripts authenticate with a personal API token, the browser with its cookie;
/// every error is an RFC 9457 problem details body.
/// </summary>
public static class RestApi
{
    /// <summary>The OpenAPI document's name (and the version in the path).</summary>
    public const string DocumentName = "v1";

    /// <summary>The name of the bearer-token security scheme in the document.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>Problem details and the OpenAPI document, describing only the REST API's routes.</summary>
    public static IServiceCollection AddRestApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Medvis REST API";
                document.Info.Description = "Datasets, runs and their maps. Send a personal API token (made on your account page) as `Authorization: Bearer mvs_…`.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A personal API token, mvs_ and 43 characters.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Maps the API's routes (readers: users and share-link visitors, each route checking its own rule), the document and the reference page (signed-in users).</summary>
    public static IEndpointRouteBuilder MapRestApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(MedvisAuthentication.RestApiPath).RequireAuthorization(MedvisClaims.ReaderPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapDatasetEndpoints();
        api.MapRunEndpoints();
        api.MapRunFileEndpoints();
        api.MapPlacementEndpoints();
        app.MapOpenApi().RequireAuthorization(MedvisClaims.UserPolicy);
        app.MapScalarApiReference(o => o.WithTitle("Medvis REST API").AddPreferredSecuritySchemes([BearerScheme]))
            .RequireAuthorization(MedvisClaims.UserPolicy);
        return app;
    }
}
