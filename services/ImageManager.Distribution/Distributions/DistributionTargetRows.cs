using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// A new distribution's targets written with PostgreSQL's binary <c>COPY</c>: ten thousand rows are one stream, where EF
/// Core's change tracker and ten thousand <c>INSERT</c>s took over a second before the first upload could start. The
/// columns come from the EF model, so a property added to <see cref="DistributionTarget"/> is copied without a change here.
/// </summary>
public static class DistributionTargetRows
{
    /// <summary>Writes <paramref name="targets"/> in the context's current transaction.</summary>
    public static async Task CopyAsync(DistributionDbContext db, IReadOnlyList<DistributionTarget> targets, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(DistributionTarget))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => (Value: p.GetGetter(), Name: p.GetColumnName(table)!, Type: p.GetRelationalTypeMapping().StoreTypeNameBase))
            .ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var rows = await connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var target in targets)
        {
            await rows.StartRowAsync(cancellationToken);
            foreach (var (value, _, type) in columns)
            {
                if (value.GetClrValue(target) is { } known)
                {
                    await rows.WriteAsync(known, type, cancellationToken);
                }
                else
                {
                    await rows.WriteNullAsync(cancellationToken);
                }
            }
        }

        await rows.CompleteAsync(cancellationToken);
    }
}
