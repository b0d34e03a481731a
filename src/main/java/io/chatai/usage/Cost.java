package io.chatai.usage;

import io.chatai.core.ApiException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money as the server keeps it: whole nano-units (10<sup>-9</sup>) of the operator's currency in a
 * {@code long}, so sums, reservations and limits are exact integer arithmetic; shown as a plain decimal
 * number. The currency is whatever the price table is in. Stateless.
 */
public final class Cost {
    /** Decimal places kept: a token at $0.01 per million tokens is 10 nano-units. */
    public static final int SCALE = 9;

    private Cost() {
    }

    /** The amount as a decimal number without trailing zeros ({@code 0.000175}, {@code 12}). */
    public static BigDecimal decimal(long nanos) {
        return BigDecimal.valueOf(nanos, SCALE).stripTrailingZeros();
    }

    /** Like {@link #decimal}, null for null (no price applied). */
    public static BigDecimal decimalOrNull(Long nanos) {
        return nanos == null ? null : decimal(nanos);
    }

    /**
     * A client's amount in nano-units, rounded to the nearest; 400 when it does not fit.
     *
     * @param field names the amount in the message
     */
    public static long nanos(String field, BigDecimal amount) {
        try {
            return amount.setScale(SCALE, RoundingMode.HALF_UP).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            throw ApiException.invalid(field + " is too large");
        }
    }

    /** What {@code tokens} cost at {@code perMillion} per million tokens, in nano-units (not yet rounded). */
    static BigDecimal of(long tokens, double perMillion) {
        // per million tokens, in units of 10^-9: tokens * price / 10^6 * 10^9
        return BigDecimal.valueOf(perMillion).multiply(BigDecimal.valueOf(tokens)).scaleByPowerOfTen(3);
    }

    /** Rounds a sum of {@link #of} parts to whole nano-units. */
    static long round(BigDecimal nanos) {
        return nanos.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
