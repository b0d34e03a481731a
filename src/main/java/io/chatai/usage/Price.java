package io.chatai.usage;

import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * One row of the price table: what a model's tokens cost per million, for the models its glob pattern
 * matches ({@code *} any run of characters, {@code ?} one character, case-insensitive). Immutable.
 *
 * @param model              the pattern, e.g. {@code gpt-4o*}
 * @param cachedInputPerMTok the price of prompt tokens read from a provider's cache, or null to charge them as input
 */
public record Price(String model, double inputPerMTok, double outputPerMTok, Double cachedInputPerMTok) {
    /** The highest price per million tokens accepted: far above any model's, low enough that sums stay exact. */
    public static final double MAX_PER_MTOK = 1_000_000;

    /** A price from one entry of a {@code PUT /api/prices} body; 400 naming the field (with {@code where}) when invalid. */
    public static Price parse(JsonBody body, String where) {
        try {
            return new Price(body.requiredString("model", 128), required(body, "inputPerMTok"),
                    required(body, "outputPerMTok"), body.optionalNumber("cachedInputPerMTok", 0, MAX_PER_MTOK));
        } catch (ApiException e) {
            throw ApiException.invalid(where + "." + e.getMessage());
        }
    }

    private static double required(JsonBody body, String field) {
        Double value = body.optionalNumber(field, 0, MAX_PER_MTOK);
        if (value == null) {
            throw ApiException.invalid(field + " is required");
        }
        return value;
    }

    /** What these tokens cost, in nano-units ({@link Cost}); cached prompt tokens are part of {@code promptTokens}. */
    public long costNanos(long promptTokens, long cachedPromptTokens, long completionTokens) {
        long cached = Math.min(Math.max(cachedPromptTokens, 0), promptTokens);
        return Cost.round(Cost.of(promptTokens - cached, inputPerMTok)
                .add(Cost.of(cached, cachedInputPerMTok != null ? cachedInputPerMTok : inputPerMTok))
                .add(Cost.of(completionTokens, outputPerMTok)));
    }

    /** The prices as the API shows them: the numbers as entered (2.5, 0.0375), never 3.75E-2. */
    public View view() {
        return new View(model, BigDecimal.valueOf(inputPerMTok), BigDecimal.valueOf(outputPerMTok),
                cachedInputPerMTok == null ? null : BigDecimal.valueOf(cachedInputPerMTok));
    }

    /** A price as {@code GET /api/prices} shows it. */
    public record View(String model, BigDecimal inputPerMTok, BigDecimal outputPerMTok, BigDecimal cachedInputPerMTok) { }

    /** The pattern as a regular expression: {@code *} and {@code ?} are wildcards, everything else is literal. */
    Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < model.length(); i++) {
            char c = model.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
