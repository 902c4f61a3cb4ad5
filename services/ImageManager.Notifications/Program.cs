using ImageManager.Notifications;
using ImageManager.Notifications.Subscriptions;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.Binding;
using ImageManager.ServiceDefaults.Access;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotifications();

var app = builder.Build();
if (args.Contains("migrate"))
{
    // The dedicated migration step: `ImageManager.Notifications migrate` applies pending migrations and exits.
    await app.MigrateNotificationsDatabaseAsync();
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouteMismatchCheck(); // before access control: a refused route value is answered as its endpoint, credentials first
app.UseServiceToken();
app.UseRequestTextCheck();
app.MapDefaultEndpoints();
app.MapSubscriptionEndpoints();
app.Run();

public partial class Program;
