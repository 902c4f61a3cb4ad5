using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ImageManager.Notifications.Tests.Webhooks;

/// <summary>Counts the commands EF Core sends, each a round trip to the database (what <c>pg_stat_database</c> cannot tell apart from the pool's resets).</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    long _commands;

    public long Commands => Interlocked.Read(ref _commands);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Counted(result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Counted(result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Counted(result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Counted(result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Counted(result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Counted(result));

    T Counted<T>(T result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }
}
