using Microsoft.AspNetCore.Components.Authorization;

namespace Medvis.Web.Auth;

/// <summary>The caller of the current circuit, for components (one per circuit).</summary>
public sealed class CurrentCaller(AuthenticationStateProvider authentication, CallerResolver resolver)
{
    /// <summary>Who is using this circuit now, checked against the database on every call.</summary>
    public async Task<Caller> GetAsync() => resolver.Resolve((await authentication.GetAuthenticationStateAsync()).User);
}
