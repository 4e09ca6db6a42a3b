using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Rapport.Data;
using Rapport.Tenancy;

namespace Rapport.Imports;

/// <summary>
/// Inserts new rows with multi-row INSERT statements built from the EF model (table, column names,
/// value converters), on the context's connection and transaction. EF's SaveChanges costs about
/// ten times more per row (change tracking, RETURNING the id, and an audit row per entity), which
/// turns a 50,000-row import from seconds into minutes. The write-side rules SaveChanges applies are
/// applied here too: the current organization is stamped (a row can only land in it), and the
/// DbContext's own Stamp sets creation times and derived columns. Instead of one audit event per
/// row, the importer writes one summary event per import. The SQL (quoted identifiers, VALUES
/// lists, @ parameters) is the same for SQLite and PostgreSQL.
/// </summary>
internal static class BulkInsert
{
    /// <summary>Stays under SQLite's 32,766 bound parameters and PostgreSQL's 65,535 for any of our tables.</summary>
    private const int MaxParametersPerStatement = 30_000;

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
            .Select(p => (Property: p, Getter: p.GetGetter(), Converter: p.GetValueConverter() ?? p.GetTypeMapping().Converter))
            .ToList();
        // The generated key comes back (RETURNING, in both databases) so the import can journal
        // what it added and rows of one chunk can refer to rows inserted just before them.
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
        // SQLite is fastest with one prepared single-row INSERT reused for every row (binding
        // thousands of parameters to one statement is quadratic in Microsoft.Data.Sqlite);
        // PostgreSQL is fastest with few round trips, so many rows per statement.
        var rowsPerStatement = db.Database.IsSqlite() ? 1 : Math.Max(1, MaxParametersPerStatement / columns.Count);
        var prefix = $"INSERT INTO {Quote(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => Quote(c.Property.GetColumnName(table)!)))}) VALUES ";
        var suffix = key is null ? "" : $" RETURNING {Quote(key.GetColumnName(table)!)}";
        await db.Database.OpenConnectionAsync(cancellationToken);
        DbCommand? fullCommand = null;
        try
        {
            foreach (var chunk in entities.Chunk(rowsPerStatement))
            {
                var isFull = chunk.Length == rowsPerStatement;
                var command = isFull && fullCommand is not null ? fullCommand : CreateCommand(connection, transaction, prefix, suffix, chunk.Length, columns.Count);
                try
                {
                    var index = 0;
                    foreach (var entity in chunk)
                    {
                        foreach (var (_, getter, converter) in columns)
                        {
                            var value = getter.GetClrValue(entity);
                            if (value is not null && converter is not null)
                            {
                                value = converter.ConvertToProvider(value);
                            }
                            command.Parameters[index++].Value = value ?? DBNull.Value;
                        }
                    }
                    if (key is null)
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken);
                    }
                    else
                    {
                        // PostgreSQL returns a multi-row VALUES insert's rows in the order given; SQLite inserts one row per statement.
                        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                        var setter = key.PropertyInfo!;
                        foreach (var entity in chunk)
                        {
                            if (!await reader.ReadAsync(cancellationToken))
                            {
                                throw new InvalidOperationException("The database returned fewer keys than rows inserted.");
                            }
                            setter.SetValue(entity, Convert.ChangeType(reader.GetValue(0), key.ClrType, System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                }
                finally
                {
                    if (isFull)
                    {
                        fullCommand = command;
                    }
                    else
                    {
                        await command.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            if (fullCommand is not null)
            {
                await fullCommand.DisposeAsync();
            }
            await db.Database.CloseConnectionAsync();
        }
        if (entities[0] is Referrals.Referral)
        {
            await Dashboard.DashboardRollups.MarkMonthsAsync(db, entities.Cast<Referrals.Referral>().Select(r => r.ReceivedOn), now, cancellationToken);
        }
    }

    private static DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, string prefix, string suffix, int rows, int columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder(prefix, prefix.Length + rows * columns * 8);
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns; column++)
            {
                var name = "@p" + (row * columns + column);
                sql.Append(column == 0 ? "" : ", ").Append(name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }
            sql.Append(')');
        }
        command.CommandText = sql.Append(suffix).ToString();
        // No explicit Prepare: SqliteCommand prepares on first execution and keeps the statement
        // while the text is unchanged; Npgsql would need parameter types before values are set.
        return command;
    }

    private static string Quote(string name, string? schema = null) =>
        (schema is null ? "" : $"\"{schema}\".") + "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
