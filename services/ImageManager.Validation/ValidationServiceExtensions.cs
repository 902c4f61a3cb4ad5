using ImageManager.BlobStorage;
using ImageManager.ServiceDefaults;
using ImageManager.Validation.Archives;
using ImageManager.Validation.Checks;
using ImageManager.Validation.Containers;
using ImageManager.Validation.Formats;
using ImageManager.Validation.Packages;
using ImageManager.Validation.Scanning;
using ImageManager.Validation.Signatures;
using MassTransit;

namespace ImageManager.Validation;

public static class ValidationServiceExtensions
{
    public static IHostApplicationBuilder AddValidation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBlobStore(builder.Configuration);
        builder.Services.AddOptions<FormatInspectionOptions>()
            .Bind(builder.Configuration.GetSection(FormatInspectionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DiskImageInspector>();
        builder.Services.AddSingleton<ChecksumCheck>();
        builder.Services.AddOptions<ScanningOptions>()
            .Bind(builder.Configuration.GetSection(ScanningOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ClamdClient>();
        builder.Services.AddSingleton<MalwareCheck>();
        builder.Services.AddSingleton<FormatCheck>();
        builder.Services.AddOptions<SignatureOptions>()
            .Bind(builder.Configuration.GetSection(SignatureOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<OcspOptions>()
            .Bind(builder.Configuration.GetSection(OcspOptions.Section))
            .ValidateDataAnnotations()
            .Validate(options => options.Responder is null or { IsAbsoluteUri: true, Scheme: "http" or "https" },
                "Signatures:Ocsp:Responder must be an absolute http or https URL.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OcspResponderClient>();
        builder.Services.AddSingleton<TrustStore>();
        builder.Services.AddSingleton<CertificateTrust>();
        builder.Services.AddSingleton<TrustStoreReview>();
        builder.Services.AddSingleton<SignaturePolicy>();
        builder.Services.AddSingleton<SignatureVerifier>();
        builder.Services.AddSingleton<SignatureCheck>();
        builder.Services.AddOptions<ArchiveSafetyOptions>()
            .Bind(builder.Configuration.GetSection(ArchiveSafetyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ArchiveReader>();
        builder.Services.AddSingleton<DebPackageInspector>();
        builder.Services.AddSingleton<RpmPackageInspector>();
        builder.Services.AddSingleton<PackageInspector>();
        builder.Services.AddSingleton<CsarImageExtractor>();
        builder.Services.AddSingleton<CsarSignatureVerifier>();
        builder.Services.AddSingleton<PackageCheck>();
        builder.Services.AddSingleton<ContainerImageInspector>();
        builder.Services.AddSingleton<ContainerImageCheck>();
        builder.AddServiceBus("validation", x => x.AddConsumer<ImageUploadedConsumer, ImageUploadedConsumerDefinition>());

        // After the bus, so that the bus starts first and the state at start has a bus to go out on.
        builder.Services.AddHostedService(services => services.GetRequiredService<TrustStoreReview>());
        return builder;
    }
}
