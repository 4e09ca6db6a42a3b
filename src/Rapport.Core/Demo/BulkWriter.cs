using System.Data;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Rapport.Demo;

/// <summary>The kinds of value the demo tables hold, so each database can bind them natively.</summary>
internal enum BulkType { Int, Text, Date, Timestamp, Double, Bool, Short, Long, Decimal }

internal sealed record BulkColumn(string Name, BulkType Type);

/// <summary>
/// Writes many rows into one table without EF change tracking (and without its per-row audit
/// events, which would double the data and take minutes at benchmark scale). Rows go in as they
/// are produced, so memory stays flat however many there are.
/// </summary>
internal interface IBulkTable : IAsyncDisposable
{
    ValueTask WriteAsync(object?[] row, CancellationToken cancellationToken);

    /// <summary>Makes the rows part of the load; disposing without completing abandons them.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>One bulk load: tables written one after another, committed together.</summary>
internal interface IBulkWriter : IAsyncDisposable
{
    Task<IBulkTable> OpenTableAsync(string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken);

    /// <summary>
    /// Drops the secondary indexes of the tables (to rebuild them once after the load, which is
    /// much faster than maintaining them row by row) and returns a step that recreates them.
    /// </summary>
    Task<Func<CancellationToken, Task>> SuspendIndexesAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken);

    /// <summary>Commits, moves identity sequences past the explicit ids the load used, and gathers planner statistics for those tables.</summary>
    Task CommitAsync(IReadOnlyList<string> tablesWithIds, CancellationToken cancellationToken);
}

internal static class BulkWriter
{
    public static async Task<IBulkWriter> OpenAsync(IDbConnection connection, CancellationToken cancellationToken) => connection switch
    {
        SqliteConnection sqlite => await SqliteBulkWriter.OpenAsync(sqlite, cancellationToken),
        NpgsqlConnection postgres => await PostgresBulkWriter.OpenAsync(postgres, cancellationToken),
        _ => throw new NotSupportedException($"Bulk loading into {connection.GetType().Name} is not supported."),
    };

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// SQLite: one transaction, one prepared INSERT per table reused for every row, and
/// synchronous=OFF for the duration (the load is all-or-nothing anyway, so a crash mid-load
/// loses nothing that was ever committed).
/// </summary>
internal sealed class SqliteBulkWriter : IBulkWriter
{
    private readonly SqliteConnection connection;
    private readonly SqliteTransaction transaction;
    private readonly string previousSynchronous;
    private readonly string previousCacheSize;
    private bool committed;

    private SqliteBulkWriter(SqliteConnection connection, SqliteTransaction transaction, string previousSynchronous, string previousCacheSize)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.previousSynchronous = previousSynchronous;
        this.previousCacheSize = previousCacheSize;
    }

    public static async Task<IBulkWriter> OpenAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var synchronous = Convert.ToString(await Scalar(connection, "PRAGMA synchronous;", cancellationToken), CultureInfo.InvariantCulture) ?? "2";
        var cacheSize = Convert.ToString(await Scalar(connection, "PRAGMA cache_size;", cancellationToken), CultureInfo.InvariantCulture) ?? "-2000";
        // A 64 MiB page cache keeps index pages hot during the load; the connection is pooled, so both are put back after.
        await Execute(connection, null, "PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;", cancellationToken);
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        return new SqliteBulkWriter(connection, transaction, synchronous, cacheSize);
    }

    public async Task<IBulkTable> OpenTableAsync(string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {BulkWriter.Quote(table)} ({string.Join(", ", columns.Select(c => BulkWriter.Quote(c.Name)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        var parameters = columns.Select((c, i) => command.Parameters.Add("$p" + i, c.Type switch { BulkType.Int or BulkType.Bool or BulkType.Short or BulkType.Long => SqliteType.Integer, BulkType.Double => SqliteType.Real, _ => SqliteType.Text })).ToArray();
        await command.PrepareAsync(cancellationToken);
        return new Table(command, parameters);
    }

    public async Task<Func<CancellationToken, Task>> SuspendIndexesAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var indexes = new List<(string Name, string Sql)>();
        await using (var query = connection.CreateCommand())
        {
            query.Transaction = transaction;
            query.CommandText = $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", tables.Select((_, i) => "$t" + i))}) ORDER BY name";
            for (var i = 0; i < tables.Count; i++)
            {
                query.Parameters.AddWithValue("$t" + i, tables[i]);
            }
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await Execute(connection, transaction, $"DROP INDEX {BulkWriter.Quote(name)}", cancellationToken);
        }
        return async ct =>
        {
            foreach (var (_, sql) in indexes)
            {
                await Execute(connection, transaction, sql, ct);
            }
        };
    }

    public async Task CommitAsync(IReadOnlyList<string> tablesWithIds, CancellationToken cancellationToken)
    {
        // AUTOINCREMENT tables keep sqlite_sequence up to date on explicit ids by themselves.
        // Full planner statistics for the loaded tables: the sampled ones PRAGMA optimize gathers
        // (below) counted 2,001 referrals per organization where there were 2 million, and the
        // planner then read years of every referral for a few sources' dates (ADR 6).
        foreach (var table in tablesWithIds)
        {
            await Execute(connection, transaction, $"ANALYZE {BulkWriter.Quote(table)}", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!committed)
        {
            await transaction.RollbackAsync();
        }
        await transaction.DisposeAsync();
        await Execute(connection, null, $"PRAGMA synchronous={previousSynchronous}; PRAGMA cache_size={previousCacheSize};", CancellationToken.None);
        await Execute(connection, null, "PRAGMA optimize;", CancellationToken.None);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class Table(SqliteCommand command, SqliteParameter[] parameters) : IBulkTable
    {
        public async ValueTask WriteAsync(object?[] row, CancellationToken cancellationToken)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                // Microsoft.Data.Sqlite binds DateOnly as yyyy-MM-dd and DateTime as
                // yyyy-MM-dd HH:mm:ss.FFFFFFF and a decimal as invariant text: the same text EF Core writes and compares.
                parameters[i].Value = row[i] ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => command.DisposeAsync();
    }
}

/// <summary>PostgreSQL: binary COPY per table, all inside one transaction.</summary>
internal sealed class PostgresBulkWriter : IBulkWriter
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private bool committed;

    private PostgresBulkWriter(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    public static async Task<IBulkWriter> OpenAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        new PostgresBulkWriter(connection, await connection.BeginTransactionAsync(cancellationToken));

    public async Task<IBulkTable> OpenTableAsync(string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(
            $"COPY {BulkWriter.Quote(table)} ({string.Join(", ", columns.Select(c => BulkWriter.Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        importer.Timeout = TimeSpan.Zero;
        var types = columns.Select(c => c.Type switch
        {
            BulkType.Int => NpgsqlDbType.Integer,
            BulkType.Short => NpgsqlDbType.Smallint,
            BulkType.Long => NpgsqlDbType.Bigint,
            BulkType.Double => NpgsqlDbType.Double,
            BulkType.Bool => NpgsqlDbType.Boolean,
            BulkType.Date => NpgsqlDbType.Date,
            BulkType.Timestamp => NpgsqlDbType.TimestampTz,
            BulkType.Decimal => NpgsqlDbType.Numeric,
            _ => NpgsqlDbType.Text,
        }).ToArray();
        return new Table(importer, types);
    }

    public async Task<Func<CancellationToken, Task>> SuspendIndexesAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        // Only plain secondary indexes: those behind primary keys and constraints stay.
        var indexes = new List<(string Name, string Sql)>();
        await using (var query = new NpgsqlCommand(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname
            """, connection, transaction))
        {
            query.Parameters.AddWithValue("tables", tables.ToArray());
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await Execute($"DROP INDEX {BulkWriter.Quote(name)}", cancellationToken);
        }
        return async ct =>
        {
            foreach (var (_, sql) in indexes)
            {
                await Execute(sql, ct);
            }
        };
    }

    public async Task CommitAsync(IReadOnlyList<string> tablesWithIds, CancellationToken cancellationToken)
    {
        foreach (var table in tablesWithIds)
        {
            // Explicit ids do not advance identity sequences; the app's next insert would collide.
            await Execute($"SELECT setval(pg_get_serial_sequence('{BulkWriter.Quote(table)}', 'Id'), " +
                $"GREATEST((SELECT MAX(\"Id\") FROM {BulkWriter.Quote(table)}), 1))", cancellationToken);
            await Execute($"ANALYZE {BulkWriter.Quote(table)}", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!committed)
        {
            await transaction.RollbackAsync();
        }
        await transaction.DisposeAsync();
    }

    private async Task Execute(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class Table(NpgsqlBinaryImporter importer, NpgsqlDbType[] types) : IBulkTable
    {
        public async ValueTask WriteAsync(object?[] row, CancellationToken cancellationToken)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < types.Length; i++)
            {
                switch (row[i])
                {
                    case null:
                        await importer.WriteNullAsync(cancellationToken);
                        break;
                    case int number:
                        await importer.WriteAsync(number, types[i], cancellationToken);
                        break;
                    case short small:
                        await importer.WriteAsync(small, types[i], cancellationToken);
                        break;
                    case long big:
                        await importer.WriteAsync(big, types[i], cancellationToken);
                        break;
                    case double real:
                        await importer.WriteAsync(real, types[i], cancellationToken);
                        break;
                    case bool flag:
                        await importer.WriteAsync(flag, types[i], cancellationToken);
                        break;
                    case DateOnly date:
                        await importer.WriteAsync(date, types[i], cancellationToken);
                        break;
                    case decimal money:
                        await importer.WriteAsync(money, types[i], cancellationToken);
                        break;
                    case DateTime timestamp:
                        await importer.WriteAsync(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc), types[i], cancellationToken);
                        break;
                    case var other:
                        await importer.WriteAsync(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)!, types[i], cancellationToken);
                        break;
                }
            }
        }

        public async ValueTask CompleteAsync(CancellationToken cancellationToken) => await importer.CompleteAsync(cancellationToken);

        public ValueTask DisposeAsync() => importer.DisposeAsync();
    }
}
