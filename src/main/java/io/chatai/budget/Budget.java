package io.chatai.budget;

import io.chatai.channel.CallContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A spending limit for a key, a user or a group: tokens and/or cost per UTC day or month. Its subject is
 * one key id, user id or group id, or {@value #EVERY}, which gives every subject a budget of its own.
 * Immutable.
 *
 * @param maxTokens    the most tokens (prompt and completion) per period, or null for no token limit
 * @param maxCostNanos the most cost per period in nano-units ({@link io.chatai.usage.Cost}), or null for no cost limit
 * @param message      what a refused caller is told, or null for the default ({@link #refusal})
 */
public record Budget(String id, Scope scope, String subject, Period period, Long maxTokens, Long maxCostNanos,
                     String message, long createdAt, long updatedAt) {
    /** The subject that stands for each subject of the scope. */
    public static final String EVERY = "*";

    /** Whose spending a budget limits. */
    public enum Scope {
        KEY, USER, GROUP;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Who a call is for in this scope: its key, its user or its group (null when it has none). */
        String of(CallContext context) {
            return switch (this) {
                case KEY -> context.keyId();
                case USER -> context.userId();
                case GROUP -> context.groupId();
            };
        }
    }

    /** How long a budget lasts before it starts over: a UTC day or a UTC calendar month. */
    public enum Period {
        DAY, MONTH;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The start of the period that holds {@code now} (epoch millis). */
        public long start(long now) {
            LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC);
            return (this == DAY ? day : day.withDayOfMonth(1)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }

        /** When the period that holds {@code now} ends and the budget starts over. */
        public long end(long now) {
            LocalDate start = LocalDate.ofInstant(Instant.ofEpochMilli(start(now)), ZoneOffset.UTC);
            return (this == DAY ? start.plusDays(1) : start.plusMonths(1)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
    }

    /** The subject a call counts against under this budget, or null when the budget does not apply to it. */
    public String subjectOf(CallContext context) {
        String who = scope.of(context);
        return who != null && (subject.equals(EVERY) || subject.equals(who)) ? who : null;
    }

    /** What a refused caller is told: the operator's message, else one that names the scope and period. */
    public String refusal() {
        if (message != null) {
            return message;
        }
        return "This " + scope.wire() + " has used its AI quota for " + (period == Period.DAY ? "today." : "this month.");
    }
}
