using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.BlobStorage.Tests;

public sealed class BlobStoreOptionsTests
{
    [Fact]
    public void When_the_kind_is_s3_without_its_settings_each_missing_one_is_named_and_the_secret_never_shown()
    {
        var problems = Validate(new Dictionary<string, string?>
        {
            ["BlobStore:Kind"] = "s3",
            ["BlobStore:S3:ServiceUrl"] = "not a url",
            ["BlobStore:S3:SecretKey"] = "very-secret",
            ["BlobStore:S3:Bucket"] = "Upper_Case",
            ["BlobStore:S3:PartSizeBytes"] = "1000",
        });

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("BlobStore:S3:ServiceUrl", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("BlobStore:S3:AccessKey is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("BlobStore:S3:Bucket", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("BlobStore:S3:PartSizeBytes", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("very-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_kind_is_left_out_the_file_system_is_chosen_and_only_its_root_is_required()
    {
        var problems = Validate(new Dictionary<string, string?> { ["BlobStore:ResumableUploadExpiry"] = "-01:00:00" });

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("BlobStore:Root is required when BlobStore:Kind is filesystem", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("BlobStore:ResumableUploadExpiry must be positive", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:02", "1.00:00:00")]
    [InlineData("00:10:00", "00:10:00")]
    public void When_the_resumable_upload_lease_is_under_three_seconds_or_not_shorter_than_the_expiry_it_is_named(string lease, string expiry)
    {
        var problems = Validate(new Dictionary<string, string?>
        {
            ["BlobStore:Root"] = "/srv/blobs",
            ["BlobStore:ResumableUploadLease"] = lease,
            ["BlobStore:ResumableUploadExpiry"] = expiry,
        });

        Assert.StartsWith("BlobStore:ResumableUploadLease must be at least 00:00:03", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_kind_is_s3_the_store_and_uploads_resolved_are_the_s3_ones()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BlobStore:Kind"] = "S3",
            ["BlobStore:S3:ServiceUrl"] = "http://127.0.0.1:1",
            ["BlobStore:S3:AccessKey"] = "a",
            ["BlobStore:S3:SecretKey"] = "b",
            ["BlobStore:S3:Bucket"] = "blobs",
        }).Build();
        using var provider = new ServiceCollection().AddBlobStore(configuration).BuildServiceProvider();

        Assert.IsType<S3BlobStore>(provider.GetRequiredService<IBlobStore>());
        Assert.IsType<S3ResumableUploads>(provider.GetRequiredService<IResumableUploads>());
    }

    static List<string> Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(BlobStoreOptions.Section).Get<BlobStoreOptions>() ?? new BlobStoreOptions();
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }
}
