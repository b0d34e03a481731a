package io.chatai.budget;

import io.chatai.store.Database;
import io.chatai.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Stores budgets and keeps all of them in memory, since every model call asks which apply to it: a change
 * through this instance applies at once, another instance's at the next configuration poll
 * ({@link #refresh}). Deleting a budget deletes what it counted. Thread-safe.
 */
public final class BudgetRepository {
    /** Budgets are the operator's, not the clients': a bound on what every call looks through. */
    static final int MAX_BUDGETS = 1_000;
    private static final String COLUMNS = "id, scope, subject, period, max_tokens, max_cost_nanos, message, created_at, updated_at";

    private final Database database;
    private volatile List<Budget> all;

    public BudgetRepository(Database database) {
        this.database = database;
        this.all = load();
    }

    /** Every budget, oldest first. */
    public List<Budget> all() {
        return all;
    }

    public Optional<Budget> find(String id) {
        return all.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /** Stores a new budget; false when there are {@value #MAX_BUDGETS} already. */
    boolean insert(Budget budget) {
        boolean stored = database.writeConfig(sql -> {
            if (count(sql) >= MAX_BUDGETS) {
                return false;
            }
            sql.update("INSERT INTO budgets (" + COLUMNS + ") VALUES (:id, :scope, :subject, :period, :maxTokens, "
                    + ":maxCostNanos, :message, :createdAt, :updatedAt)").bindFields(budget)
                    .bind("scope", budget.scope().wire()).bind("period", budget.period().wire()).execute();
            return true;
        });
        refresh();
        return stored;
    }

    /**
     * Stores a changed budget; false when it no longer exists. A budget that now counts other subjects (its
     * scope or subject changed) forgets what it counted, which its next use sums again from the usage records.
     */
    boolean update(Budget budget) {
        boolean stored = database.writeConfig(sql -> {
            Optional<Budget> before = sql.query("SELECT " + COLUMNS + " FROM budgets WHERE id = :id").bind("id", budget.id())
                    .findOne(BudgetRepository::map);
            if (before.isEmpty()) {
                return false;
            }
            if (before.get().scope() != budget.scope() || !before.get().subject().equals(budget.subject())) {
                sql.update("DELETE FROM budget_spend WHERE budget_id = :id").bind("id", budget.id()).execute();
            }
            sql.update("UPDATE budgets SET scope = :scope, subject = :subject, period = :period, max_tokens = :maxTokens, "
                    + "max_cost_nanos = :maxCostNanos, message = :message, updated_at = :updatedAt WHERE id = :id")
                    .bindFields(budget).bind("scope", budget.scope().wire()).bind("period", budget.period().wire()).execute();
            return true;
        });
        refresh();
        return stored;
    }

    /** Deletes a budget with its counts and holds; false when there is none with this id. */
    boolean delete(String id) {
        boolean deleted = database.writeConfig(sql -> {
            sql.update("DELETE FROM budget_spend WHERE budget_id = :id").bind("id", id).execute();
            sql.update("DELETE FROM budget_reservations WHERE budget_id = :id").bind("id", id).execute();
            return sql.update("DELETE FROM budgets WHERE id = :id").bind("id", id).execute() == 1;
        });
        refresh();
        return deleted;
    }

    /** Reads the budgets again (another instance may have changed them). */
    public void refresh() {
        all = load();
    }

    private List<Budget> load() {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM budgets ORDER BY created_at, id")
                .list(BudgetRepository::map));
    }

    private static int count(Sql sql) {
        return sql.query("SELECT COUNT(*) FROM budgets").one(io.chatai.store.RowMapper.INT);
    }

    private static Budget map(ResultSet rs) throws SQLException {
        long maxTokens = rs.getLong("max_tokens");
        Long tokens = rs.wasNull() ? null : maxTokens;
        long maxCost = rs.getLong("max_cost_nanos");
        Long cost = rs.wasNull() ? null : maxCost;
        return new Budget(rs.getString("id"), Budget.Scope.valueOf(rs.getString("scope").toUpperCase(Locale.ROOT)),
                rs.getString("subject"), Budget.Period.valueOf(rs.getString("period").toUpperCase(Locale.ROOT)), tokens, cost,
                rs.getString("message"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
