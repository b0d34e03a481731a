package io.chatai.budget;

import io.chatai.channel.CallAdmission;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallReport;
import io.chatai.core.ApiException;
import io.chatai.core.Background;
import io.chatai.core.ErrorCode;
import io.chatai.core.Secrets;
import io.chatai.store.Database;
import io.chatai.usage.Cost;
import io.chatai.usage.PriceTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets enforced on every model call: before a request reaches any upstream, its worst case (the prompt's
 * tokens plus the most it may generate: the request's or preset's limit, else {@value #DEFAULT_MAX_OUTPUT_TOKENS})
 * is reserved against every budget of its key, its user and its group, or the request is refused with 429
 * {@code QUOTA_EXCEEDED} and nothing is called; once it is done, the reservation settles to what its calls
 * really cost (also after a failure or a cancel, which releases it). This instance's reservations are renewed
 * every third of the lease; a settlement the database refused is retried on that tick. Thread-safe.
 */
public final class BudgetGate implements CallAdmission, AutoCloseable {
    /** The answer a request that names no limit is assumed to reach, for its reservation. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(BudgetGate.class);
    /** Counters are kept this long (two of the longest months and a day), then deleted. */
    private static final Duration KEEP_COUNTERS = Duration.ofDays(63);

    private final BudgetRepository budgets;
    private final BudgetLedger ledger;
    private final PriceTable prices;
    private final Clock clock;
    private final Duration lease;
    private final String instanceId = Secrets.newToken("inst_", 12);
    private final Queue<Settlement> unsettled = new ConcurrentLinkedQueue<>();
    private Background.Periodic heartbeat;

    private record Settlement(String holdId, List<BudgetLedger.Counter> counters, BudgetLedger.Amount spent) { }

    /** @param lease how long a reservation outlives its instance's last renewal */
    public BudgetGate(Database database, BudgetRepository budgets, PriceTable prices, Clock clock, Duration lease) {
        this.budgets = budgets;
        this.ledger = new BudgetLedger(database);
        this.prices = prices;
        this.clock = clock;
        this.lease = lease;
    }

    /**
     * Starts renewing this instance's reservations.
     *
     * @param alone true when no other instance shares the database (SQLite): every reservation found is a
     *              dead process's and is released at once
     */
    public void start(Background background, boolean alone) {
        if (alone) {
            ledger.releaseAll();
        }
        heartbeat = background.every("budget-heartbeat", lease.dividedBy(3), this::tick);
    }

    @Override
    public Admitted admit(CallContext context, String model, IntSupplier promptTokens, Integer maxOutputTokens) {
        long now = clock.millis();
        List<BudgetLedger.Line> lines = new ArrayList<>();
        for (Budget budget : budgets.all()) {
            String subject = budget.subjectOf(context);
            if (subject != null) {
                lines.add(new BudgetLedger.Line(budget, new BudgetLedger.Counter(budget.id(), subject, budget.period().start(now))));
            }
        }
        if (lines.isEmpty()) {
            return Admitted.NOTHING; // no budget, no counting: the common case costs nothing
        }
        long prompt = promptTokens.getAsInt();
        long output = maxOutputTokens != null ? maxOutputTokens : DEFAULT_MAX_OUTPUT_TOKENS;
        Long cost = prices.costNanos(model, prompt, 0, output);
        BudgetLedger.Amount need = new BudgetLedger.Amount(prompt + output, cost == null ? 0 : cost);
        String holdId = Secrets.newToken("hold_", 16);
        BudgetLedger.Outcome outcome = ledger.reserve(lines, need, holdId, instanceId, lease);
        if (!outcome.admitted()) {
            throw refusal(outcome, need, now);
        }
        return new Hold(holdId, lines.stream().map(BudgetLedger.Line::counter).toList());
    }

    private ApiException refusal(BudgetLedger.Outcome outcome, BudgetLedger.Amount need, long now) {
        Budget budget = outcome.refused().budget();
        long resetsAt = budget.period().end(now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("budgetId", budget.id());
        details.put("scope", budget.scope().wire());
        details.put("period", budget.period().wire());
        details.put("resetsAt", resetsAt);
        BudgetLedger.Amount used = outcome.spent().plus(outcome.held());
        if (budget.maxTokens() != null) {
            details.put("requestTokens", need.tokens());
            details.put("remainingTokens", Math.max(0, budget.maxTokens() - used.tokens()));
        }
        if (budget.maxCostNanos() != null) {
            details.put("requestCost", Cost.decimal(need.costNanos()));
            details.put("remainingCost", Cost.decimal(Math.max(0, budget.maxCostNanos() - used.costNanos())));
        }
        long seconds = Math.max(1, (resetsAt - now + 999) / 1000);
        return new ApiException(ErrorCode.QUOTA_EXCEEDED, budget.refusal(), details, (int) Math.min(seconds, Integer.MAX_VALUE));
    }

    /** One admitted request: adds up what its calls cost, and settles once. Used by its request's thread. */
    private final class Hold implements Admitted {
        private final String holdId;
        private final List<BudgetLedger.Counter> counters;
        private long tokens;
        private long costNanos;
        private boolean settled;

        Hold(String holdId, List<BudgetLedger.Counter> counters) {
            this.holdId = holdId;
            this.counters = counters;
        }

        @Override
        public synchronized void onCall(CallReport report) {
            tokens += report.usage().totalTokens();
            Long cost = prices.costNanos(report); // the price the usage record of this call gets too
            costNanos += cost == null ? 0 : cost;
        }

        @Override
        public void close() {
            Settlement settlement;
            synchronized (this) {
                if (settled) {
                    return;
                }
                settled = true;
                settlement = new Settlement(holdId, counters, new BudgetLedger.Amount(tokens, costNanos));
            }
            // A cancelled call may leave its thread interrupted, which would abort the database call.
            boolean interrupted = Thread.interrupted();
            try {
                settle(settlement);
            } catch (RuntimeException e) {
                LOG.warn("Could not settle budget hold {} ({} tokens); retrying every {} ms", holdId, settlement.spent().tokens(),
                        lease.dividedBy(3).toMillis(), e);
                unsettled.add(settlement);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void settle(Settlement settlement) {
        ledger.settle(settlement.holdId(), settlement.counters(), settlement.spent());
    }

    /** Renews this instance's holds, retries failed settlements, forgets what is long over. */
    void tick() {
        ledger.renew(instanceId, lease, clock.millis() - KEEP_COUNTERS.toMillis());
        for (int left = unsettled.size(); left > 0; left--) {
            Settlement settlement = unsettled.poll();
            if (settlement == null) {
                return;
            }
            try {
                settle(settlement);
            } catch (RuntimeException e) {
                unsettled.add(settlement);
                throw e; // logged by the background once per kind of failure; the rest wait for the next tick
            }
        }
    }

    /** Where a subject stands under a budget now. */
    BudgetLedger.Standing standing(Budget budget, String subject) {
        long now = clock.millis();
        return ledger.standing(budget, new BudgetLedger.Counter(budget.id(), subject, budget.period().start(now)));
    }

    /** The subjects of a {@code "*"} budget with spending or holds in the current period, the most tokens first. */
    List<BudgetLedger.Standing> subjects(Budget budget, int limit) {
        return ledger.subjects(budget, budget.period().start(clock.millis()), limit);
    }

    /** The clock budgets' periods are read on. */
    long now() {
        return clock.millis();
    }

    /** Stops renewing; reservations still held expire within the lease. */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.cancel();
        }
    }
}
