using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Rapport.Registry.Nppes;

/// <summary>How a record reaches the registry table.</summary>
public enum RowAction : byte
{
    /// <summary>A full record: insert, or update when its content hash differs (or it was marked missing).</summary>
    Upsert = 0,
    /// <summary>A deactivated NPI's bare record: set its dates on the existing row (keeping name and address) or add the bare row.</summary>
    Deactivate = 1,
    /// <summary>As <see cref="Deactivate"/>, but only for NPIs already in the table (--active-only adds no deactivated NPI).</summary>
    DeactivateExisting = 2,
}

public readonly record struct PendingRow(RegistryProvider Row, RowAction Action);

/// <summary>
/// Writes batches of registry rows, the batch's problems and the run's checkpoint in one transaction:
/// SQLite through prepared upserts on a tuned connection, PostgreSQL through binary COPY into a
/// temporary table and one INSERT … ON CONFLICT per batch. Both skip a row whose content hash is unchanged.
/// </summary>
internal abstract class RegistryStore(DbConnection connection) : IAsyncDisposable
{
    protected DbConnection Connection { get; } = connection;

    public static readonly string[] Columns =
    [
        "Npi", "EntityType", "BusinessName", "LastName", "FirstName", "MiddleName", "NamePrefix", "NameSuffix", "Credential", "TaxonomyCode",
        "AddressLine1", "AddressLine2", "City", "State", "PostalCode", "Zip5", "CountryCode", "Phone", "Fax", "Gender",
        "EnumerationDate", "LastUpdateDate", "DeactivationDate", "ReactivationDate", "Latitude", "Longitude", "AddressKey", "ContentHash", "UpdatedAt",
    ];

    protected static readonly string[] DeactivationColumns = ["DeactivationDate", "ReactivationDate", "ContentHash", "UpdatedAt"];

    protected static string Quoted(string column) => $"\"{column}\"";

    /// <summary>The ON CONFLICT tail shared by both databases: write only a changed (or missing-marked) row, and stamp UpdatedAt only for a changed one.</summary>
    protected static string OnConflict(IEnumerable<string> columns) =>
        $"""
        ON CONFLICT ("Npi") DO UPDATE SET {string.Join(", ", columns.Where(c => c is not "Npi" and not "UpdatedAt").Select(c => $"{Quoted(c)} = excluded.{Quoted(c)}"))},
            "MissingSince" = NULL,
            "UpdatedAt" = CASE WHEN "RegistryProviders"."ContentHash" <> excluded."ContentHash" THEN excluded."UpdatedAt" ELSE "RegistryProviders"."UpdatedAt" END
        WHERE "RegistryProviders"."ContentHash" <> excluded."ContentHash" OR "RegistryProviders"."MissingSince" IS NOT NULL
        """;

    public static object?[] Values(RegistryProvider p) =>
    [
        p.Npi, p.EntityType is { } e ? (short)e : null, p.BusinessName, p.LastName, p.FirstName, p.MiddleName, p.NamePrefix, p.NameSuffix, p.Credential, p.TaxonomyCode,
        p.AddressLine1, p.AddressLine2, p.City, p.State, p.PostalCode, p.Zip5, p.CountryCode, p.Phone, p.Fax, p.Gender,
        p.EnumerationDate, p.LastUpdateDate, p.DeactivationDate, p.ReactivationDate, p.Latitude, p.Longitude, p.AddressKey, p.ContentHash, p.UpdatedAt,
    ];

    public static RegistryStore For(DbConnection connection) => connection switch
    {
        SqliteConnection sqlite => new SqliteRegistryStore(sqlite),
        NpgsqlConnection npgsql => new PostgresRegistryStore(npgsql),
        _ => throw new NotSupportedException(connection.GetType().Name),
    };

    public abstract Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Writes the rows; returns how many were added or changed.</summary>
    protected abstract Task<long> WriteRowsAsync(IReadOnlyList<PendingRow> rows, DbTransaction transaction, CancellationToken cancellationToken);

    public async Task<long> WriteBatchAsync(IReadOnlyList<PendingRow> rows, IReadOnlyList<NppesImportProblem> problems, NppesImportRun checkpoint, CancellationToken cancellationToken)
    {
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken);
        var written = rows.Count == 0 ? 0 : await WriteRowsAsync(rows, transaction, cancellationToken);
        checkpoint.Written += written;
        checkpoint.Unchanged += rows.Count - written;
        await WriteProblemsAsync(problems, transaction, cancellationToken);
        await SaveCheckpointAsync(checkpoint, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    public async Task SaveCheckpointAsync(NppesImportRun run, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE "NppesImportRuns" SET "ByteOffset" = @offset, "Line" = @line, "Records" = @records, "Kept" = @kept, "Written" = @written,
                "Unchanged" = @unchanged, "Deactivated" = @deactivated, "BadRows" = @bad, "MarkedMissing" = @missing, "Added" = @added,
                "ElapsedSeconds" = @elapsed, "Status" = @status, "FinishedAt" = @finished
            WHERE "Id" = @id
            """;
        Add(command, "offset", run.ByteOffset);
        Add(command, "line", run.Line);
        Add(command, "records", run.Records);
        Add(command, "kept", run.Kept);
        Add(command, "written", run.Written);
        Add(command, "unchanged", run.Unchanged);
        Add(command, "deactivated", run.Deactivated);
        Add(command, "bad", run.BadRows);
        Add(command, "missing", run.MarkedMissing);
        Add(command, "added", run.Added);
        Add(command, "elapsed", run.ElapsedSeconds);
        Add(command, "status", (short)run.Status);
        Add(command, "finished", run.FinishedAt);
        Add(command, "id", run.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task WriteProblemsAsync(IReadOnlyList<NppesImportProblem> problems, DbTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var problem in problems)
        {
            await using var command = Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """INSERT INTO "NppesImportProblems" ("RunId", "Line", "Message") VALUES (@run, @line, @message)""";
            Add(command, "run", problem.RunId);
            Add(command, "line", problem.Line);
            Add(command, "message", problem.Message.Length <= 600 ? problem.Message : problem.Message[..600]);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Sets MissingSince on the given NPIs (still unmarked) in one transaction, with the checkpoint; returns how many changed.</summary>
    public async Task<long> MarkMissingAsync(IReadOnlyList<string> npis, DateOnly since, NppesImportRun run, CancellationToken cancellationToken)
    {
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken);
        long marked = 0;
        foreach (var chunk in npis.Chunk(500))
        {
            await using var command = Connection.CreateCommand();
            command.Transaction = transaction;
            var names = chunk.Select((_, i) => $"@n{i}").ToList();
            command.CommandText = $"""UPDATE "RegistryProviders" SET "MissingSince" = @since WHERE "MissingSince" IS NULL AND "Npi" IN ({string.Join(", ", names)})""";
            Add(command, "since", since);
            for (var i = 0; i < chunk.Length; i++)
            {
                Add(command, $"n{i}", chunk[i]);
            }
            marked += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        run.MarkedMissing += marked;
        await SaveCheckpointAsync(run, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return marked;
    }

    protected static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// SQLite: prepared upserts of 32 rows (then one per row for the rest) inside the batch's transaction, on a connection tuned for the
/// run (synchronous NORMAL under WAL: a commit survives a killed process, only an OS crash may lose the
/// last batch, which the checkpoint then redoes; a 16 MB page cache (the peak RSS goal); temporary data in memory).
/// </summary>
internal sealed class SqliteRegistryStore(SqliteConnection connection) : RegistryStore(connection)
{
    /// <summary>Rows per multi-row upsert: one statement step instead of 32 (the per-statement cost dominates).</summary>
    private const int RowsPerStatement = 32;
    private SqliteCommand? upsert;
    private SqliteCommand? upsertMany;
    private SqliteCommand? deactivate;
    private SqliteCommand? deactivateExisting;

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        upsert = Prepare(
            $"INSERT INTO \"RegistryProviders\" ({string.Join(", ", Columns.Select(Quoted))}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"@p{i}"))}) {OnConflict(Columns)}",
            Columns.Length);
        var rowsOfValues = Enumerable.Range(0, RowsPerStatement)
            .Select(row => $"({string.Join(", ", Columns.Select((_, i) => $"@p{row * Columns.Length + i}"))})");
        upsertMany = Prepare(
            $"INSERT INTO \"RegistryProviders\" ({string.Join(", ", Columns.Select(Quoted))}) VALUES {string.Join(", ", rowsOfValues)} {OnConflict(Columns)}",
            Columns.Length * RowsPerStatement);
        string[] bare = ["Npi", .. DeactivationColumns];
        deactivate = Prepare(
            $"INSERT INTO \"RegistryProviders\" ({string.Join(", ", bare.Select(Quoted))}) VALUES ({string.Join(", ", bare.Select((_, i) => $"@p{i}"))}) {OnConflict(bare)}",
            bare.Length);
        deactivateExisting = Prepare(
            """
            UPDATE "RegistryProviders" SET "DeactivationDate" = @p1, "ReactivationDate" = @p2, "ContentHash" = @p3, "UpdatedAt" = @p4, "MissingSince" = NULL
            WHERE "Npi" = @p0 AND ("ContentHash" <> @p3 OR "MissingSince" IS NOT NULL)
            """, bare.Length);
    }

    private SqliteCommand Prepare(string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter($"@p{i}", null));
        }
        return command;
    }

    protected override Task<long> WriteRowsAsync(IReadOnlyList<PendingRow> rows, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sqliteTransaction = (SqliteTransaction)transaction;
        foreach (var command in new[] { upsert!, deactivate!, deactivateExisting! })
        {
            command.Transaction = sqliteTransaction;
        }
        long written = 0;
        var full = rows.Where(r => r.Action == RowAction.Upsert).Select(r => r.Row).ToList();
        var many = full.Count / RowsPerStatement * RowsPerStatement;
        upsertMany!.Transaction = sqliteTransaction;
        for (var start = 0; start < many; start += RowsPerStatement)
        {
            var parameters = upsertMany.Parameters;
            for (var r = 0; r < RowsPerStatement; r++)
            {
                var values = Values(full[start + r]);
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[r * values.Length + i].Value = values[i] ?? DBNull.Value;
                }
            }
            written += upsertMany.ExecuteNonQuery();
        }
        var rest = full.Skip(many).Select(r => new PendingRow(r, RowAction.Upsert)).Concat(rows.Where(r => r.Action != RowAction.Upsert));
        foreach (var (row, action) in rest)
        {
            if (action == RowAction.Upsert)
            {
                var values = Values(row);
                var parameters = upsert!.Parameters;
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].Value = values[i] ?? DBNull.Value;
                }
                written += upsert.ExecuteNonQuery();
            }
            else
            {
                var command = action == RowAction.Deactivate ? deactivate! : deactivateExisting!;
                command.Parameters[0].Value = row.Npi;
                command.Parameters[1].Value = (object?)row.DeactivationDate ?? DBNull.Value;
                command.Parameters[2].Value = (object?)row.ReactivationDate ?? DBNull.Value;
                command.Parameters[3].Value = row.ContentHash;
                command.Parameters[4].Value = row.UpdatedAt;
                written += command.ExecuteNonQuery();
            }
        }
        return Task.FromResult(written);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { upsert, upsertMany, deactivate, deactivateExisting })
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
        await base.DisposeAsync();
    }
}

/// <summary>PostgreSQL: binary COPY of the batch into a temporary table, then one set-based statement per action.</summary>
internal sealed class PostgresRegistryStore(NpgsqlConnection connection) : RegistryStore(connection)
{
    private static readonly NpgsqlDbType[] Types =
    [
        NpgsqlDbType.Varchar, NpgsqlDbType.Smallint, .. Enumerable.Repeat(NpgsqlDbType.Varchar, 18),
        NpgsqlDbType.Date, NpgsqlDbType.Date, NpgsqlDbType.Date, NpgsqlDbType.Date, NpgsqlDbType.Double, NpgsqlDbType.Double,
        NpgsqlDbType.Varchar, NpgsqlDbType.Bigint, NpgsqlDbType.TimestampTz,
    ];

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DROP TABLE IF EXISTS nppes_batch;
            CREATE TEMP TABLE nppes_batch (LIKE "RegistryProviders" INCLUDING DEFAULTS, "Action" smallint NOT NULL) ON COMMIT DELETE ROWS;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task<long> WriteRowsAsync(IReadOnlyList<PendingRow> rows, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY nppes_batch ({string.Join(", ", Columns.Select(Quoted))}, \"Action\") FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (row, action) in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                var values = Values(row);
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i] is null)
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await copy.WriteAsync(values[i], Types[i], cancellationToken);
                    }
                }
                await copy.WriteAsync((short)action, NpgsqlDbType.Smallint, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        string[] bare = ["Npi", .. DeactivationColumns];
        await using var command = connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction)transaction;
        command.CommandText = $"""
            INSERT INTO "RegistryProviders" ({string.Join(", ", Columns.Select(Quoted))})
            SELECT {string.Join(", ", Columns.Select(Quoted))} FROM nppes_batch WHERE "Action" = 0
            {OnConflict(Columns)};
            INSERT INTO "RegistryProviders" ("EntityType", {string.Join(", ", bare.Select(Quoted))})
            SELECT NULL, {string.Join(", ", bare.Select(Quoted))} FROM nppes_batch WHERE "Action" = 1
            {OnConflict(bare)};
            UPDATE "RegistryProviders" AS r SET "DeactivationDate" = b."DeactivationDate", "ReactivationDate" = b."ReactivationDate",
                "ContentHash" = b."ContentHash", "UpdatedAt" = b."UpdatedAt", "MissingSince" = NULL
            FROM nppes_batch AS b
            WHERE b."Action" = 2 AND r."Npi" = b."Npi" AND (r."ContentHash" <> b."ContentHash" OR r."MissingSince" IS NOT NULL);
            """;
        // Npgsql sums the rows affected by every statement of the batch.
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
