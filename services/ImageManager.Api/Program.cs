using ImageManager.Api;
using ImageManager.Api.ApiKeys;
using ImageManager.Api.Audit;
using ImageManager.Api.Certificates;
using ImageManager.Api.Distributions;
using ImageManager.Api.Fleet;
using ImageManager.Api.Hubs;
using ImageManager.Api.Images;
using ImageManager.Api.Notifications;
using ImageManager.Api.OpenApi;
using ImageManager.Api.Portal;
using ImageManager.Api.Protection;
using ImageManager.Api.Recalls;
using ImageManager.Api.Receipts;
using ImageManager.Api.Removals;
using ImageManager.Api.Subscriptions;
using ImageManager.Api.Vims;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.Binding;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApi();

var app = builder.Build();
app.UseMiddleware<ChangeAuditMiddleware>(); // outermost: it records the final answer, errors included
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouteMismatchCheck(); // before access control: a refused route value is answered as its endpoint, credentials first
app.UsePortal(); // before access control: the pages are public, the data they call for is not
app.UseApiReference(); // the API reference page, public too, with its own content security policy
app.UseRequestProtection();
app.UseRequestTextCheck();
app.MapDefaultEndpoints();
app.MapApiDocument();
app.MapImageEndpoints();
app.MapCertificateEndpoints();
app.MapVimEndpoints();
app.MapHubEndpoints();
app.MapDistributionEndpoints();
app.MapFleetEndpoints();
app.MapRemovalEndpoints();
app.MapRecallEndpoints();
app.MapReceiptEndpoints();
app.MapApiKeyEndpoints();
app.MapAuditEndpoints();
app.MapEventEndpoints();
app.MapSubscriptionEndpoints();
app.Run();

public partial class Program;
