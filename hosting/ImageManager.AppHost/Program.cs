using ImageManager.AppHost;
using ImageManager.Topology;
using Microsoft.Extensions.DependencyInjection;

// The declared system on this machine's infrastructure, under Aspire's orchestrator, with its dashboard; or, with
// `configs DIR INSTALL_DIR`, the same declaration written as systemd units, environment files and HAProxy's configuration.
var options = LocalInstallation.Options(Environment.GetEnvironmentVariables());
if (args is ["configs", var directory, var installDirectory])
{
    InstallationFiles.Write(options, directory, installDirectory);
    return;
}

var declaration = SystemDeclaration.Declare(options);

DashboardAddresses.ApplyDefaults();
var builder = DistributedApplication.CreateBuilder(args);
builder.AddDeclaredSystem(declaration);
builder.Services.AddSingleton(declaration);
builder.Services.AddHostedService<RunDirectoryRecorder>();
builder.Build().Run();
