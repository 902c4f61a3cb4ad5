using ImageManager.Distribution;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Fleet;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Recalls;
using ImageManager.Distribution.Receipts;
using ImageManager.Distribution.Reconciliation;
using ImageManager.Distribution.Removals;
using ImageManager.Distribution.Vims;
using ImageManager.Distribution.Vims.Aai;
using ImageManager.Distribution.Vims.Bulk;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.Binding;
using ImageManager.ServiceDefaults.Access;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDistribution();

var app = builder.Build();
if (args.Contains("migrate"))
{
    // The dedicated migration step: `ImageManager.Distribution migrate` applies pending migrations and exits.
    await app.MigrateDistributionDatabaseAsync();
    return;
}

if (args.Contains("rotate-credential-key"))
{
    await app.RotateVimCredentialKeyAsync(revokeOld: args.Contains("--revoke-old"));
    return;
}

if (args.Contains("rotate-receipt-key"))
{
    await app.RotateReceiptKeyAsync(revokeOld: args.Contains("--revoke-old"));
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouteMismatchCheck(); // before access control: a refused route value is answered as its endpoint, credentials first
app.UseServiceToken();
app.UseRequestTextCheck();
app.MapDefaultEndpoints();
app.MapVimEndpoints();
app.MapHubEndpoints();
app.MapBulkVimEndpoints();
app.MapAaiImportEndpoints();
app.MapDistributionEndpoints();
app.MapFleetEndpoints();
app.MapRemovalEndpoints();
app.MapRecallEndpoints();
app.MapReconciliationEndpoints();
app.MapOwnershipEndpoints();
app.MapTransferBudgetEndpoints();
app.MapReceiptEndpoints();
app.Run();

public partial class Program;
