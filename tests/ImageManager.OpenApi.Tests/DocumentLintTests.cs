namespace ImageManager.OpenApi.Tests;

/// <summary>The document the running Api serves, as a generator or a linter reads it.</summary>
[Collection(OpenApiCollection.Name)]
public sealed class DocumentLintTests(OpenApiSystem system)
{
    [Fact]
    public async Task When_the_served_document_is_linted_with_Redocly_recommended_rules_it_has_no_error_and_no_warning()
    {
        var problems = await RedoclyLint.LintAsync(await system.ReadDocumentAsync());

        var errors = problems.Count(p => p.Severity == "error");
        var warnings = problems.Count(p => p.Severity == "warn");
        Assert.True(problems.Count == 0,
            $"redocly lint: {errors} error(s), {warnings} warning(s) (the document is in .local/test-output/openapi.json):\n{string.Join("\n", problems)}");
    }
}
