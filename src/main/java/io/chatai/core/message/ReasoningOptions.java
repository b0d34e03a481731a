package io.chatai.core.message;

/**
 * How much the model should think, in whichever form the caller gave it; each adapter maps it to its
 * provider's setting (OpenAI {@code reasoning_effort}, Anthropic {@code thinking.budget_tokens}, Gemini
 * {@code thinkingConfig}). Immutable.
 *
 * @param effort       {@code none}, {@code minimal}, {@code low}, {@code medium}, {@code high} or {@code xhigh}, or null
 * @param budgetTokens an explicit thinking budget, or null
 * @param summary      whether a readable summary is wanted where a provider only offers one (Responses, Gemini thoughts), or null
 */
public record ReasoningOptions(String effort, Integer budgetTokens, Boolean summary) {

    /** Whether the caller turned thinking off. */
    public boolean off() {
        return "none".equals(effort) || Integer.valueOf(0).equals(budgetTokens);
    }

    /** A token budget for providers that take one: the explicit budget, or one derived from the effort. */
    public Integer budgetOr(int maxTokens) {
        if (budgetTokens != null) {
            return budgetTokens;
        }
        if (effort == null) {
            return null;
        }
        int budget = switch (effort) {
            case "none" -> 0;
            case "minimal" -> 1_024;
            case "low" -> 2_048;
            case "medium" -> 8_192;
            case "high" -> 16_384;
            default -> 32_768; // xhigh
        };
        return maxTokens > 0 ? Math.min(budget, Math.max(1_024, maxTokens - 1)) : budget;
    }
}
