using ImageManager.ServiceDefaults.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Tests.Access;

/// <summary>
/// The services behind the Api let through only requests with the service token, or, while it is rotated, one of the
/// tokens also accepted; a rotation is done without stopping every service at once.
/// </summary>
public sealed class ServiceTokenMiddlewareTests
{
    const string Current = "the-current-service-token-of-32-characters-or-more";
    const string Previous = "the-previous-service-token-of-32-characters-or-more";

    [Theory]
    [InlineData(Current, true)]
    [InlineData(Previous, true)]
    [InlineData("a-token-that-was-never-accepted-of-32-characters", false)]
    [InlineData("", false)]
    public async Task When_a_service_token_is_presented_only_the_current_and_the_accepted_ones_get_through(string presented, bool passes)
    {
        var (status, reached) = await SendAsync(new InternalAccessOptions { ServiceToken = Current, AcceptedServiceTokens = [Previous] }, presented);

        Assert.Equal(passes, reached);
        Assert.Equal(passes ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized, status);
    }

    [Fact]
    public async Task When_the_rotation_is_over_the_previous_token_is_refused()
    {
        var (status, reached) = await SendAsync(new InternalAccessOptions { ServiceToken = Current }, Previous);

        Assert.False(reached);
        Assert.Equal(StatusCodes.Status401Unauthorized, status);
    }

    [Fact]
    public void When_an_accepted_service_token_is_too_short_the_options_are_refused_naming_it()
    {
        var options = new InternalAccessOptions { ServiceToken = Current, AcceptedServiceTokens = ["short"] };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("AcceptedServiceTokens", StringComparison.Ordinal));
    }

    static async Task<(int Status, bool Reached)> SendAsync(InternalAccessOptions options, string presented)
    {
        var reached = false;
        var middleware = new ServiceTokenMiddleware(_ => { reached = true; return Task.CompletedTask; }, Options.Create(options), NullLogger<ServiceTokenMiddleware>.Instance);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Request.Path = "/api/v1/images";
        context.Request.Headers.Authorization = $"Bearer {presented}";
        context.Response.Body = new MemoryStream();

        await middleware.InvokeAsync(context);

        return (context.Response.StatusCode, reached);
    }
}
