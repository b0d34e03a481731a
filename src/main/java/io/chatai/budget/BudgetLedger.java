package io.chatai.budget;

import io.chatai.store.Database;
import io.chatai.store.Dialect;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What budgets have spent and hold, in the database every instance shares. A counter row per budget,
 * subject and period holds what settled calls spent; a reservation row per call in flight holds its worst
 * case until it settles, or until its instance's lease runs out (an instance that dies stops renewing).
 * Reserving locks the counters it checks (in one order, so two reservations never deadlock) and reads the
 * live reservations under that lock, so concurrent reservations on every instance are checked one after
 * another: exact. On SQLite one writer runs every transaction in turn, which is the same guarantee.
 * Lease times are the database's clock, so instances' clocks need not agree. Thread-safe.
 */
final class BudgetLedger {
    /** Expired holds stay this long, so a slow instance that settles late still finds (and counts) its hold. */
    private static final Duration KEEP_EXPIRED = Duration.ofHours(1);

    private final Database database;
    private final String now;
    private final String lock;

    BudgetLedger(Database database) {
        this.database = database;
        this.now = switch (database.dialect()) {
            case POSTGRESQL -> "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";
            case SQLITE -> "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
        };
        // SQLite has no row locks: its one writer already runs each transaction alone.
        this.lock = database.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    }

    /** One budget's count for one subject in one period. */
    record Counter(String budgetId, String subject, long periodStart) {
        static final Comparator<Counter> ORDER = Comparator.comparing(Counter::budgetId).thenComparing(Counter::subject)
                .thenComparingLong(Counter::periodStart);
    }

    /** A budget that applies to a call, and the counter the call counts against. */
    record Line(Budget budget, Counter counter) { }

    /** Tokens and cost (nano-units) together. */
    record Amount(long tokens, long costNanos) {
        static final Amount ZERO = new Amount(0, 0);

        Amount plus(Amount other) {
            return new Amount(tokens + other.tokens, costNanos + other.costNanos);
        }
    }

    /** What a reservation found: held (nothing refused), or the first budget it would pass and where that budget stands. */
    record Outcome(Line refused, Amount spent, Amount held) {
        boolean admitted() {
            return refused == null;
        }
    }

    /**
     * Holds {@code need} against every line's counter, or nothing at all when one of them would pass its
     * limit (counting what is spent and what other calls hold).
     */
    Outcome reserve(List<Line> lines, Amount need, String holdId, String instanceId, Duration lease) {
        List<Line> ordered = lines.stream().sorted(Comparator.comparing(Line::counter, Counter.ORDER)).toList();
        return database.write(sql -> {
            for (Line line : ordered) {
                Amount spent = lockCounter(sql, line);
                // Its own statement, after the lock: on PostgreSQL a statement sees what was committed when it
                // began, so a sum inside the locking SELECT would miss the reservation of the transaction it waited for.
                Amount held = held(sql, line.counter());
                Amount total = spent.plus(held).plus(need);
                Budget budget = line.budget();
                if (budget.maxTokens() != null && total.tokens() > budget.maxTokens()
                        || budget.maxCostNanos() != null && total.costNanos() > budget.maxCostNanos()) {
                    return new Outcome(line, spent, held); // counters seeded so far are worth keeping
                }
            }
            for (Line line : ordered) {
                sql.update("INSERT INTO budget_reservations (hold_id, budget_id, subject, period_start, tokens, cost_nanos, "
                                + "instance_id, expires_at) VALUES (:hold, :budgetId, :subject, :periodStart, :tokens, :cost, "
                                + ":instance, " + now + " + :lease)")
                        .bindFields(line.counter()).bind("hold", holdId).bind("tokens", need.tokens())
                        .bind("cost", need.costNanos()).bind("instance", instanceId).bind("lease", lease.toMillis()).execute();
            }
            return new Outcome(null, null, null);
        });
    }

    /**
     * Turns a hold into spending: what its calls really cost is added to each counter whose hold is still
     * there (a hold is removed once, so a settlement retried after an unclear failure never counts twice).
     */
    void settle(String holdId, List<Counter> counters, Amount spent) {
        List<Counter> ordered = counters.stream().sorted(Counter.ORDER).toList();
        database.update(sql -> {
            for (Counter counter : ordered) {
                int held = sql.update("DELETE FROM budget_reservations WHERE hold_id = :hold AND budget_id = :budgetId")
                        .bind("hold", holdId).bind("budgetId", counter.budgetId()).execute();
                if (held == 1 && (spent.tokens() != 0 || spent.costNanos() != 0)) {
                    sql.update("UPDATE budget_spend SET tokens = tokens + :tokens, cost_nanos = cost_nanos + :cost "
                                    + "WHERE budget_id = :budgetId AND subject = :subject AND period_start = :periodStart")
                            .bindFields(counter).bind("tokens", spent.tokens()).bind("cost", spent.costNanos()).execute();
                }
            }
        });
    }

    /**
     * Renews this instance's live holds for another lease (an expired one is never revived: others may
     * have counted on its room), and forgets long-expired holds and counters of periods long over.
     *
     * @param oldestPeriod counters of periods that started before this (epoch millis) are deleted
     */
    void renew(String instanceId, Duration lease, long oldestPeriod) {
        database.update(sql -> {
            sql.update("UPDATE budget_reservations SET expires_at = " + now + " + :lease "
                    + "WHERE instance_id = :instance AND expires_at > " + now)
                    .bind("lease", lease.toMillis()).bind("instance", instanceId).execute();
            sql.update("DELETE FROM budget_reservations WHERE expires_at < " + now + " - :keep")
                    .bind("keep", KEEP_EXPIRED.toMillis()).execute();
            sql.update("DELETE FROM budget_spend WHERE period_start < :oldest").bind("oldest", oldestPeriod).execute();
        });
    }

    /** Forgets every hold: on SQLite, at start, they all belong to processes that are gone. */
    void releaseAll() {
        database.update(sql -> sql.update("DELETE FROM budget_reservations").execute());
    }

    /** A subject's standing under a budget in one period: what settled calls spent, what calls in flight hold. */
    record Standing(String subject, Amount spent, Amount held) { }

    /**
     * Where a subject stands, without changing anything: before its first use in the period, what the
     * usage records say it spent so far (what that first use will count).
     */
    Standing standing(Budget budget, Counter counter) {
        return database.read(sql -> new Standing(counter.subject(),
                counter(sql, counter, "").orElseGet(() -> sql.query("SELECT " + seedSums() + " FROM usage_records "
                        + "WHERE " + column(budget) + " = :subject AND created_at >= :periodStart").bindFields(counter)
                        .one(BudgetLedger::amount)),
                held(sql, counter)));
    }

    /** The subjects of a {@code "*"} budget that spent or hold anything this period, the most tokens first. */
    List<Standing> subjects(Budget budget, long periodStart, int limit) {
        return database.read(sql -> sql.query("SELECT s.subject, s.tokens, s.cost_nanos, "
                        + "COALESCE(SUM(r.tokens), 0) AS held_tokens, COALESCE(SUM(r.cost_nanos), 0) AS held_cost "
                        + "FROM budget_spend s LEFT JOIN budget_reservations r ON r.budget_id = s.budget_id "
                        + "AND r.subject = s.subject AND r.period_start = s.period_start AND r.expires_at > " + now + " "
                        + "WHERE s.budget_id = :id AND s.period_start = :start GROUP BY s.subject, s.tokens, s.cost_nanos "
                        + "ORDER BY s.tokens DESC, s.subject LIMIT :limit")
                .bind("id", budget.id()).bind("start", periodStart).bind("limit", limit)
                .list(rs -> new Standing(rs.getString("subject"), new Amount(rs.getLong("tokens"), rs.getLong("cost_nanos")),
                        new Amount(rs.getLong("held_tokens"), rs.getLong("held_cost")))));
    }

    /** The counter's spending, locked; created first from the usage records of the period so far. */
    private Amount lockCounter(Sql sql, Line line) {
        Counter counter = line.counter();
        Optional<Amount> spent = counter(sql, counter, lock);
        if (spent.isPresent()) {
            return spent.get();
        }
        // The first use in this period: what the subject spent before the budget existed (or before a restart
        // of its count) is in the usage records. A concurrent first use waits here for ours and then adds nothing.
        sql.update("INSERT INTO budget_spend (budget_id, subject, period_start, tokens, cost_nanos) "
                        + "SELECT :budgetId, :subject, :periodStart, " + seedSums() + " FROM usage_records "
                        + "WHERE " + column(line.budget()) + " = :subject AND created_at >= :periodStart "
                        + "ON CONFLICT (budget_id, subject, period_start) DO NOTHING")
                .bindFields(counter).execute();
        return counter(sql, counter, lock).orElseThrow();
    }

    private static Optional<Amount> counter(Sql sql, Counter counter, String lock) {
        return sql.query("SELECT tokens AS t, cost_nanos AS c FROM budget_spend WHERE budget_id = :budgetId "
                + "AND subject = :subject AND period_start = :periodStart" + lock).bindFields(counter)
                .findOne(BudgetLedger::amount);
    }

    private Amount held(Sql sql, Counter counter) {
        return sql.query("SELECT COALESCE(SUM(tokens), 0) AS t, COALESCE(SUM(cost_nanos), 0) AS c FROM budget_reservations "
                        + "WHERE budget_id = :budgetId AND subject = :subject AND period_start = :periodStart AND expires_at > " + now)
                .bindFields(counter).one(BudgetLedger::amount);
    }

    private static String seedSums() {
        return "COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS t, COALESCE(SUM(cost_nanos), 0) AS c";
    }

    /** The usage records' column that names a budget's subjects. */
    private static String column(Budget budget) {
        return switch (budget.scope()) {
            case KEY -> "key_id";
            case USER -> "user_id";
            case GROUP -> "group_id";
        };
    }

    private static Amount amount(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Amount(rs.getLong("t"), rs.getLong("c"));
    }
}
