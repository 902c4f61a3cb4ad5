using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageManager.ServiceDefaults.Problems;

public static class ExceptionProblemExtensions
{
    /// <summary>Answers <typeparamref name="TException"/>, wherever no endpoint caught it, with <paramref name="status"/> and a reason (<see cref="ExceptionProblemHandler{TException}"/>).</summary>
    public static IServiceCollection AddExceptionProblem<TException>(this IServiceCollection services, int status, string title, string detail)
        where TException : Exception
    {
        services.AddSingleton<IExceptionHandler>(provider => new ExceptionProblemHandler<TException>(
            status, title, detail, provider.GetRequiredService<ILogger<ExceptionProblemHandler<TException>>>()));
        return services;
    }
}
