using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SituationMap.Testing;

/// <summary>
/// A minimal OpenID Connect provider on a loopback port, for testing sign-in through an identity provider: discovery,
/// JWKS, an authorization endpoint that signs in <see cref="User"/> at once (no login form) and a token endpoint that
/// returns an RS256-signed id_token. Just enough of the code flow for ASP.NET Core's handler; not a real provider.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    public const string ClientId = "situationmap";
    public const string ClientSecret = "test-secret";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string Nonce, string User)> _codes = new();
    private WebApplication? _app;

    /// <summary>Who the provider says is signing in next (its preferred_username).</summary>
    public string User { get; set; } = "oidc-user";

    public Uri Authority { get; private set; } = null!;

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var issuer = new TestOidcIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var key = new RsaSecurityKey(issuer._rsa) { KeyId = "test-key" };
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Authority.ToString().TrimEnd('/'),
            ["authorization_endpoint"] = new Uri(issuer.Authority, "authorize").ToString(),
            ["token_endpoint"] = new Uri(issuer.Authority, "token").ToString(),
            ["jwks_uri"] = new Uri(issuer.Authority, "jwks").ToString(),
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        app.MapGet("/authorize", (HttpRequest r) =>
        {
            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            issuer._codes[code] = (r.Query["nonce"].ToString(), issuer.User);
            return Results.Redirect($"{r.Query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(r.Query["state"].ToString())}");
        });
        app.MapPost("/token", async (HttpRequest r) =>
        {
            var form = await r.ReadFormAsync();
            if (form["client_id"] != ClientId && r.Headers.Authorization.Count == 0) return Results.BadRequest();
            if (!issuer._codes.TryRemove(form["code"].ToString(), out var grant)) return Results.BadRequest(new { error = "invalid_grant" });
            var now = DateTime.UtcNow;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer.Authority.ToString().TrimEnd('/'),
                Audience = ClientId,
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(5),
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
                Claims = new Dictionary<string, object> { ["sub"] = "sub-" + grant.User, ["preferred_username"] = grant.User, ["nonce"] = grant.Nonce },
            });
            return Results.Json(new { id_token = idToken, access_token = "unused", token_type = "Bearer", expires_in = 300 });
        });
        await app.StartAsync();
        issuer._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        issuer.Authority = new Uri(address.TrimEnd('/') + "/");
        return issuer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
