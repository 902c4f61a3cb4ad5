using ImageManager.Catalog;
using ImageManager.Catalog.ApiKeys;
using ImageManager.Catalog.Audit;
using ImageManager.Catalog.Certificates;
using ImageManager.Catalog.Images;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.Binding;
using ImageManager.ServiceDefaults.Access;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCatalog();

var app = builder.Build();
if (args.Contains("migrate"))
{
    // The dedicated migration step: `ImageManager.Catalog migrate` applies pending migrations and exits.
    await app.MigrateCatalogDatabaseAsync();
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouteMismatchCheck(); // before access control: a refused route value is answered as its endpoint, credentials first
app.UseServiceToken();
app.UseRequestTextCheck();
app.MapDefaultEndpoints();
app.MapImageEndpoints();
app.MapQueryPlanEndpoints();
app.MapCertificateEndpoints();
app.MapApiKeyEndpoints();
app.MapAuditEndpoints();
app.Run();

public partial class Program;
