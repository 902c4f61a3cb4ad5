using ImageManager.ServiceDefaults;
using ImageManager.Validation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
