using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Rapport.Data;
using Rapport.Tenancy;

namespace Rapport.Imports;

/// <summary>
/// Inserts new rows through each database's bulk path, built from the EF model (table, column names,
/// value converters), on the context's connection and transaction: binary COPY on PostgreSQL, one
/// prepared INSERT reused for every row on SQLite. EF's SaveChanges costs about
/// ten times more per row (change tracking, RETURNING the id, and an audit row per entity), which
/// turns a 50,000-row import from seconds into minutes. The write-side rules SaveChanges applies are
/// applied here too: the current organization is stamped (a row can only land in it), and the
/// DbContext's own Stamp sets creation times and derived columns. Instead of one audit event per
/// row, the importer writes one summary event per import. Derived data of new referrals is kept
/// in one place (<see cref="ReferralsInsertedAsync"/>).
/// </summary>
internal static class BulkInsert
{
    public static async Task InsertAsync(RapportDbContext db, IReadOnlyList<object> entities, DateTime now, CancellationToken cancellationToken)
    {
        if (entities.Count == 0)
        {
            return;
        }
        var entityType = db.Model.FindEntityType(entities[0].GetType())
            ?? throw new InvalidOperationException($"{entities[0].GetType().Name} is not part of the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never) && !p.IsShadowProperty())
            .Select(p => new Column(p, p.GetGetter(), p.GetValueConverter() ?? p.GetTypeMapping().Converter))
            .ToList();
        // The generated key is set on each entity (RETURNING on SQLite, the sequence on PostgreSQL) so
        // the import can journal what it added and rows of one chunk can refer to rows inserted before them.
        var key = entityType.FindPrimaryKey()!.Properties is [{ ValueGenerated: not ValueGenerated.Never } generated] ? generated : null;
        var organizationId = db.Organization.RequiredId;
        foreach (var entity in entities)
        {
            if (entity is IOrganizationOwned owned)
            {
                owned.OrganizationId = organizationId;
            }
            RapportDbContext.Stamp(entity, EntityState.Added, now);
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (connection is Npgsql.NpgsqlConnection npgsql)
            {
                await CopyAsync(npgsql, table, columns, key, entities, cancellationToken);
            }
            else
            {
                await InsertRowsAsync(connection, transaction, table, columns, key, entities, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        if (entities[0] is Referrals.Referral)
        {
            await ReferralsInsertedAsync(db, entities.Cast<Referrals.Referral>().ToList(), now, cancellationToken);
        }
        if (entities[0] is IOrganizationOwned)
        {
            // The bulk path bypasses SaveChanges, which raises the practice's data version for every other write.
            await Common.PracticeDataVersions.BumpAsync(db, organizationId, cancellationToken);
        }
    }

    /// <summary>
    /// The one place for data derived from referrals that a bulk insert must keep up to date, in the
    /// same transaction (SaveChanges does the same for referrals it writes): the dashboard rollups of
    /// the referrals' months are marked stale. Anything else kept per referral belongs here too.
    /// </summary>
    private static Task ReferralsInsertedAsync(RapportDbContext db, IReadOnlyList<Referrals.Referral> referrals, DateTime now, CancellationToken cancellationToken) =>
        Dashboard.DashboardRollups.MarkMonthsAsync(db, referrals.Select(r => r.ReceivedOn), now, cancellationToken);

    /// <summary>
    /// SQLite: one prepared single-row INSERT reused for every row (binding thousands of parameters
    /// to one statement is quadratic in Microsoft.Data.Sqlite), run synchronously: the provider has no
    /// asynchronous I/O, and its async methods only add a task per row.
    /// </summary>
    private static async Task InsertRowsAsync(DbConnection connection, DbTransaction? transaction, StoreObjectIdentifier table,
        List<Column> columns, IProperty? key, IReadOnlyList<object> entities, CancellationToken cancellationToken)
    {
        var sql = $"INSERT INTO {Quote(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => Quote(c.Property.GetColumnName(table)!)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})" + (key is null ? "" : $" RETURNING {Quote(key.GetColumnName(table)!)}");
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var parameters = new DbParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "@p" + i;
            command.Parameters.Add(parameters[i]);
        }
        var setter = key?.PropertyInfo;
        foreach (var entity in entities)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].ValueOf(entity) ?? DBNull.Value;
            }
            if (setter is null)
            {
#pragma warning disable CA1849 // Synchronous on purpose: see the summary.
                command.ExecuteNonQuery();
            }
            else
            {
                setter.SetValue(entity, Convert.ChangeType(command.ExecuteScalar(), key!.ClrType, System.Globalization.CultureInfo.InvariantCulture));
#pragma warning restore CA1849
            }
        }
    }

    /// <summary>
    /// PostgreSQL: binary COPY, the server's own bulk path (no statement per row, no SQL to parse).
    /// COPY returns no keys, so the keys are taken from the column's sequence first, in one query, and
    /// written with the rows; the identity column is BY DEFAULT, which accepts them.
    /// </summary>
    private static async Task CopyAsync(Npgsql.NpgsqlConnection connection, StoreObjectIdentifier table, List<Column> columns, IProperty? key,
        IReadOnlyList<object> entities, CancellationToken cancellationToken)
    {
        var names = columns.Select(c => Quote(c.Property.GetColumnName(table)!)).ToList();
        long[]? keys = null;
        if (key is not null)
        {
            keys = new long[entities.Count];
            await using var reserve = connection.CreateCommand();
            reserve.CommandText = "SELECT nextval(pg_get_serial_sequence(@table, @column)) FROM generate_series(1, @count)";
            reserve.Parameters.AddWithValue("table", Quote(table.Name, table.Schema));
            reserve.Parameters.AddWithValue("column", key.GetColumnName(table)!);
            reserve.Parameters.AddWithValue("count", entities.Count);
            await using var reader = await reserve.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; i < keys.Length && await reader.ReadAsync(cancellationToken); i++)
            {
                keys[i] = reader.GetInt64(0);
            }
            names.Insert(0, Quote(key.GetColumnName(table)!));
        }
        // The column's type by name, without its length or precision ("character varying(100)" → "character varying").
        var types = columns.Select(c => TypeName(c.Property.GetColumnType(table) ?? c.Property.GetColumnType())).ToArray();
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {Quote(table.Name, table.Schema)} ({string.Join(", ", names)}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var row = 0; row < entities.Count; row++)
            {
                var entity = entities[row];
                await copy.StartRowAsync(cancellationToken);
                if (keys is not null)
                {
                    key!.PropertyInfo!.SetValue(entity, Convert.ChangeType(keys[row], key.ClrType, System.Globalization.CultureInfo.InvariantCulture));
                    if (key.ClrType == typeof(long)) await copy.WriteAsync(keys[row], cancellationToken); else await copy.WriteAsync(checked((int)keys[row]), cancellationToken);
                }
                for (var i = 0; i < columns.Count; i++)
                {
                    if (columns[i].ValueOf(entity) is { } value)
                    {
                        await copy.WriteAsync(value, types[i], cancellationToken);
                    }
                    else
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
    }

    private static string TypeName(string columnType) => columnType.IndexOf('(', StringComparison.Ordinal) is var open and > 0
        ? (columnType[..open] + columnType[(columnType.IndexOf(')', StringComparison.Ordinal) + 1)..]).Trim()
        : columnType;

    /// <summary>A column bulk-inserted: its property and how its value is stored (EF's value converter).</summary>
    private sealed record Column(IProperty Property, IClrPropertyGetter Getter, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter)
    {
        public object? ValueOf(object entity)
        {
            var value = Getter.GetClrValue(entity);
            return value is not null && Converter is not null ? Converter.ConvertToProvider(value) : value;
        }
    }


    private static string Quote(string name, string? schema = null) =>
        (schema is null ? "" : $"\"{schema}\".") + "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
