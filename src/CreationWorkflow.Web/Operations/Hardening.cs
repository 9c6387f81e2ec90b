using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CreationWorkflow.Web.Operations;

/// <summary>
/// What a host in front of a city's network needs: X-Forwarded-* from known TLS proxies, HSTS and Secure cookies
/// outside Development, and the security headers (CSP, nosniff, Referrer-Policy, frame-ancestors) on every response.
/// </summary>
public static class Hardening
{
    /// <summary>Scripts and styles come from our own files only (wwwroot): no inline script, no inline style.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddHardening(this IServiceCollection services, IConfiguration configuration, IHostEnvironment env)
    {
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.Section);
        var options = configuration.GetSection(OperationsOptions.Section).Get<OperationsOptions>() ?? new OperationsOptions();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = 1;
            foreach (var proxy in options.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in options.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        var secure = options.SecureCookies ?? !(env.IsDevelopment() || env.IsEnvironment("Testing"));
        var policy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        // The sign-in cookies. The antiforgery cookie (no credential) follows the request, so a plain-HTTP trial still shows its forms.
        services.PostConfigureAll<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(o => o.Cookie.SecurePolicy = policy);
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>First in the pipeline: the proxy's view of the request, then HSTS (HTTPS requests only) and the headers.</summary>
    public static WebApplication UseHardening(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                // A response with its own, stricter policy (evidence downloads: sandbox) keeps it, framed by nobody.
                var own = headers.ContentSecurityPolicy.ToString();
                headers.ContentSecurityPolicy = own.Length == 0 ? ContentSecurityPolicy
                    : own.Contains("frame-ancestors", StringComparison.Ordinal) ? own : own + "; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
