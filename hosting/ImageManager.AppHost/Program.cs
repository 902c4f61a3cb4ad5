using ImageManager.AppHost;
using ImageManager.Topology;
using Microsoft.Extensions.DependencyInjection;

// The declared system on this machine's infrastructure, under Aspire's orchestrator, with its dashboard.
DashboardAddresses.ApplyDefaults();
var builder = DistributedApplication.CreateBuilder(args);
var declaration = SystemDeclaration.Declare(LocalInstallation.Options(Environment.GetEnvironmentVariables()));
builder.AddDeclaredSystem(declaration);
builder.Services.AddSingleton(declaration);
builder.Services.AddHostedService<RunDirectoryRecorder>();
builder.Build().Run();
