package io.chatai.budget;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import io.chatai.core.Secrets;
import io.chatai.usage.Cost;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads budgets from request bodies: {@code POST} creates one, {@code PUT} merges (omitted fields keep
 * their value; {@code null} clears {@code maxTokens}, {@code maxCost} or {@code message}). A budget needs
 * at least one limit. Every mistake is a 400 naming the field. Stateless.
 */
final class BudgetForm {
    /** Larger than any real budget, small enough that sums of tokens never overflow. */
    static final long MAX_TOKENS = 1_000_000_000_000_000L;
    /** A cost limit above this is no limit; in nano-units it still fits a long many times over. */
    static final BigDecimal MAX_COST = BigDecimal.valueOf(1_000_000_000L);
    static final int MAX_MESSAGE_CHARS = 500;

    private BudgetForm() {
    }

    static Budget create(JsonBody body, long now) {
        Budget.Scope scope = choice("scope", body.requiredString("scope", 16), Budget.Scope.class);
        Budget budget = new Budget(Secrets.newToken("bud_", 16), scope, subject(body.requiredString("subject", 128), scope),
                choice("period", body.requiredString("period", 16), Budget.Period.class), maxTokens(body), maxCost(body),
                body.optionalString("message", MAX_MESSAGE_CHARS), now, now);
        return requireLimit(budget);
    }

    static Budget merge(Budget stored, JsonBody body, long now) {
        Budget.Scope scope = body.has("scope") ? choice("scope", body.requiredString("scope", 16), Budget.Scope.class)
                : stored.scope();
        String subject = subject(body.has("subject") ? body.requiredString("subject", 128) : stored.subject(), scope);
        Budget.Period period = body.has("period") ? choice("period", body.requiredString("period", 16), Budget.Period.class)
                : stored.period();
        return requireLimit(new Budget(stored.id(), scope, subject, period,
                body.present("maxTokens") ? maxTokens(body) : stored.maxTokens(),
                body.present("maxCost") ? maxCost(body) : stored.maxCostNanos(),
                body.present("message") ? body.optionalString("message", MAX_MESSAGE_CHARS) : stored.message(),
                stored.createdAt(), now));
    }

    private static Budget requireLimit(Budget budget) {
        if (budget.maxTokens() == null && budget.maxCostNanos() == null) {
            throw ApiException.invalid("A budget needs maxTokens, maxCost or both");
        }
        return budget;
    }

    /** One key id, user id or group id ("*" for each): user and group ids are at most 64 characters, like the Chat API's. */
    private static String subject(String subject, Budget.Scope scope) {
        int max = scope == Budget.Scope.KEY ? 128 : 64;
        if (subject.codePointCount(0, subject.length()) > max) {
            throw ApiException.invalid("subject must be 1-" + max + " characters for scope " + scope.wire() + " (or \"*\")");
        }
        return subject;
    }

    private static Long maxTokens(JsonBody body) {
        JsonNode value = body.node().get("maxTokens");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1 || value.longValue() > MAX_TOKENS) {
            throw ApiException.invalid("maxTokens must be a whole number from 1 to " + MAX_TOKENS
                    + (value.isNumber() ? ", got " + value : ""));
        }
        return value.longValue();
    }

    private static Long maxCost(JsonBody body) {
        JsonNode value = body.node().get("maxCost");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ApiException.invalid("maxCost must be a number");
        }
        BigDecimal amount = value.isFloatingPointNumber() ? BigDecimal.valueOf(value.doubleValue()) : value.decimalValue();
        if (amount.compareTo(MAX_COST) > 0) {
            throw ApiException.invalid("maxCost must be at most " + MAX_COST.toPlainString() + ", got " + value);
        }
        long nanos = Cost.nanos("maxCost", amount);
        if (nanos < 1) {
            throw ApiException.invalid("maxCost must be more than 0 (it counts in units of 0.000000001), got " + value);
        }
        return nanos;
    }

    private static <E extends Enum<E>> E choice(String field, String value, Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().toLowerCase(Locale.ROOT).equals(value))
                .findFirst().orElseThrow(() -> ApiException.invalid(field + " must be one of " + Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", got '" + value + "'"));
    }
}
