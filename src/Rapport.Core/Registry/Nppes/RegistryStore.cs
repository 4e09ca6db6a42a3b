using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

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
/// SQLite: prepared upserts of 32 rows a statement (then one per row for the rest) inside the batch's
/// transaction, bound by position through SQLite's own statement API: Microsoft.Data.Sqlite binds by
/// name, and SQLite finds a name by a linear search, so a 928-parameter statement spent most of its
/// time looking names up. The connection is tuned for the run (synchronous NORMAL under WAL: a commit
/// survives a killed process, only an OS crash may lose the last batch, which the checkpoint then
/// redoes; a 16 MB page cache, for the peak RSS goal; temporary data in memory).
/// </summary>
internal sealed class SqliteRegistryStore(SqliteConnection connection) : RegistryStore(connection)
{
    private const int RowsPerStatement = 32;
    private sqlite3_stmt? upsert;
    private sqlite3_stmt? upsertMany;
    private sqlite3_stmt? deactivate;
    private sqlite3_stmt? deactivateExisting;

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        string Values(int rows, int columns) => string.Join(", ", Enumerable.Range(0, rows).Select(_ => $"({string.Join(", ", Enumerable.Repeat("?", columns))})"));
        var insert = $"INSERT INTO \"RegistryProviders\" ({string.Join(", ", Columns.Select(Quoted))}) VALUES ";
        upsert = Prepare($"{insert}{Values(1, Columns.Length)} {OnConflict(Columns)}");
        upsertMany = Prepare($"{insert}{Values(RowsPerStatement, Columns.Length)} {OnConflict(Columns)}");
        string[] bare = ["Npi", .. DeactivationColumns];
        deactivate = Prepare($"INSERT INTO \"RegistryProviders\" ({string.Join(", ", bare.Select(Quoted))}) VALUES {Values(1, bare.Length)} {OnConflict(bare)}");
        deactivateExisting = Prepare(
            """
            UPDATE "RegistryProviders" SET "DeactivationDate" = ?2, "ReactivationDate" = ?3, "ContentHash" = ?4, "UpdatedAt" = ?5, "MissingSince" = NULL
            WHERE "Npi" = ?1 AND ("ContentHash" <> ?4 OR "MissingSince" IS NOT NULL)
            """);
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement));
        return statement;
    }

    protected override Task<long> WriteRowsAsync(IReadOnlyList<PendingRow> rows, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        // The statements run on the connection inside the BEGIN that transaction issued.
        long written = 0;
        var full = rows.Where(r => r.Action == RowAction.Upsert).Select(r => r.Row).ToList();
        var many = full.Count / RowsPerStatement * RowsPerStatement;
        for (var start = 0; start < many; start += RowsPerStatement)
        {
            for (var r = 0; r < RowsPerStatement; r++)
            {
                BindRow(upsertMany!, r * Columns.Length, full[start + r]);
            }
            written += Step(upsertMany!);
        }
        foreach (var row in full.Skip(many))
        {
            BindRow(upsert!, 0, row);
            written += Step(upsert!);
        }
        foreach (var (row, action) in rows.Where(r => r.Action != RowAction.Upsert))
        {
            var statement = action == RowAction.Deactivate ? deactivate! : deactivateExisting!;
            Bind(statement, 1, row.Npi);
            Bind(statement, 2, row.DeactivationDate);
            Bind(statement, 3, row.ReactivationDate);
            Bind(statement, 4, row.ContentHash);
            Bind(statement, 5, row.UpdatedAt);
            written += Step(statement);
        }
        return Task.FromResult(written);
    }

    private static void BindRow(sqlite3_stmt statement, int offset, RegistryProvider row)
    {
        var values = Values(row);
        for (var i = 0; i < values.Length; i++)
        {
            Bind(statement, offset + i + 1, values[i]);
        }
    }

    /// <summary>Values as EF Core stores them in SQLite: dates as yyyy-MM-dd text, instants as yyyy-MM-dd HH:mm:ss.FFFFFFF.</summary>
    private static void Bind(sqlite3_stmt statement, int index, object? value) => Check(value switch
    {
        null => raw.sqlite3_bind_null(statement, index),
        string text => raw.sqlite3_bind_text(statement, index, text),
        short number => raw.sqlite3_bind_int64(statement, index, number),
        long number => raw.sqlite3_bind_int64(statement, index, number),
        double number => raw.sqlite3_bind_double(statement, index, number),
        DateOnly date => raw.sqlite3_bind_text(statement, index, date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
        DateTime instant => raw.sqlite3_bind_text(statement, index, instant.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException(value.GetType().Name),
    });

    /// <summary>Runs the statement; returns the rows it inserted or updated (0 when the WHERE of ON CONFLICT kept an unchanged row).</summary>
    private long Step(sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), result);
        }
        return raw.sqlite3_changes(connection.Handle);
    }

    private static void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {result}", result);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var statement in new[] { upsert, upsertMany, deactivate, deactivateExisting })
        {
            statement?.Dispose();
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
