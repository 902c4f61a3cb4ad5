using ImageManager.BlobStorage;
using ImageManager.ServiceDefaults;
using ImageManager.Validation.Checks;
using ImageManager.Validation.Consumers;

namespace ImageManager.Validation;

public static class ValidationServiceExtensions
{
    public static IHostApplicationBuilder AddValidation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBlobStore(builder.Configuration);
        builder.Services.AddSingleton<ChecksumCheck>();
        builder.AddServiceBus("validation", x => x.AddConsumer<ImageUploadedConsumer>());
        return builder;
    }
}
