package io.chatai.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.chatai.core.message.ChatMessage;
import java.time.Duration;
import java.util.List;

/**
 * Counts tokens with a real BPE tokenizer (OpenAI's o200k_base via jtokkit). Other providers tokenize
 * differently, so counts for them are close estimates; they only decide how much history fits and
 * stand in for usage an upstream did not report. Thread-safe.
 */
public final class TokenCounter {
    /** Framing tokens per message in the chat format ({@code <|start|>role ... <|end|>}). */
    public static final int PER_MESSAGE = 4;
    /** Tokens that prime the assistant's reply. */
    public static final int REPLY_PRIMING = 3;

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    /** Bounded: prompts with {{time}} make a new text every second, and those stop coming back. */
    private final Cache<String, Integer> repeated = Caffeine.newBuilder()
            .executor(Runnable::run) // upkeep on the caller: no pool thread woken on the request path
            .maximumSize(1_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    /**
     * Texts longer than this are counted on their first this-many characters and the rest extrapolated
     * linearly: BPE costs several microseconds a character (a 1.6-million-character text took 9 s of CPU),
     * and counts past this length only stand in for usage an upstream did not report, which is marked
     * {@code estimated} anyway.
     */
    public static final int EXACT_CHARS = 100_000;

    /** Tokens of a text: exact up to {@link #EXACT_CHARS} characters, a linear estimate beyond. */
    public int count(String text) {
        if (text.length() <= EXACT_CHARS) {
            return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
        }
        int end = Character.isHighSurrogate(text.charAt(EXACT_CHARS - 1)) ? EXACT_CHARS - 1 : EXACT_CHARS;
        long counted = encoding.countTokensOrdinary(text.substring(0, end));
        return (int) Math.min(Integer.MAX_VALUE, (counted * text.length() + end - 1) / end);
    }

    /**
     * Like {@link #count} for texts that come back again and again (rendered system prompts change at
     * most once a second): remembered, so every turn does not tokenize its preset's prompt anew.
     */
    public int countRepeated(String text) {
        Integer known = repeated.getIfPresent(text);
        if (known != null) {
            return known;
        }
        // Counted outside the cache's lock: two turns may count one text at once, which costs only time.
        int counted = count(text);
        repeated.put(text, counted);
        return counted;
    }

    /** Tokens one message costs in a prompt, framing included. */
    public int countMessage(String content) {
        return count(content) + PER_MESSAGE;
    }

    /** The prompt tokens of a whole request, as the upstream would have counted them. */
    public int countPrompt(List<ChatMessage> messages) {
        int total = REPLY_PRIMING;
        for (ChatMessage message : messages) {
            total += countMessage(message.text());
        }
        return total;
    }
}
