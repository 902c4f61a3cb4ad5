using ImageManager.Catalog;
using ImageManager.Catalog.Certificates;
using ImageManager.Catalog.Images;
using ImageManager.ServiceDefaults;

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
app.MapDefaultEndpoints();
app.MapImageEndpoints();
app.MapQueryPlanEndpoints();
app.MapCertificateEndpoints();
app.Run();

public partial class Program;
