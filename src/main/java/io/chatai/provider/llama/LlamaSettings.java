package io.chatai.provider.llama;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one local model runs: context per sequence, CPU threads, sequences generated at once, and how
 * many requests may wait for a sequence. Built from a channel's {@code options}, with defaults taken
 * from the machine and the model. Immutable.
 *
 * @param contextSize tokens per sequence (prompt and answer together); llama.cpp gets {@code contextSize * parallel}
 * @param threads     CPU threads for prompt evaluation and generation
 * @param parallel    sequences generated at once, batched together by llama.cpp
 * @param queue       requests that may wait for a free sequence; one more is refused as overloaded
 */
public record LlamaSettings(int contextSize, int threads, int parallel, int queue) {
    /** The options a local channel accepts, with their ranges: {@code {min, max}}. */
    public static final Map<String, int[]> OPTIONS = options();
    static final int DEFAULT_CONTEXT = 4096;
    static final int DEFAULT_PARALLEL = 2;
    static final int DEFAULT_QUEUE = 16;
    private static final int MAX_DEFAULT_THREADS = 8;

    public LlamaSettings {
        check("contextSize", contextSize);
        check("threads", threads);
        check("parallel", parallel);
        check("queue", queue);
    }

    /**
     * The settings for a channel's options: absent ones default to a context of 4096 tokens (or the model's
     * own training context when smaller), one thread per available processor but one (at least 1, at most
     * 8), 2 sequences and a waiting line of 16. The spare processor is for the server itself: llama.cpp's
     * threads wait for each other after every step, so one of them descheduled by other work stalls them all
     * (measured on 2 cores with the tiny test model: 2 threads generated 1.4 to 2.7 times slower than 1, and
     * 25 times slower while other processes kept the second core busy).
     */
    public static LlamaSettings of(Map<String, Object> options, GgufInfo model) {
        int trained = model.contextLength() > 0 ? model.contextLength() : DEFAULT_CONTEXT;
        int threads = Math.clamp(Runtime.getRuntime().availableProcessors() - 1, 1, MAX_DEFAULT_THREADS);
        return new LlamaSettings(
                option(options, "contextSize", Math.clamp(trained, OPTIONS.get("contextSize")[0], DEFAULT_CONTEXT)),
                option(options, "threads", threads),
                option(options, "parallel", DEFAULT_PARALLEL),
                option(options, "queue", DEFAULT_QUEUE));
    }

    private static int option(Map<String, Object> options, String name, int fallback) {
        return options.get(name) instanceof Number number ? number.intValue() : fallback;
    }

    private static void check(String name, int value) {
        int[] range = OPTIONS.get(name);
        if (value < range[0] || value > range[1]) {
            throw new IllegalArgumentException("options." + name + " must be from " + range[0] + " to " + range[1] + ", got " + value);
        }
    }

    private static Map<String, int[]> options() {
        Map<String, int[]> options = new LinkedHashMap<>();
        options.put("contextSize", new int[] {64, 1 << 20});
        options.put("threads", new int[] {1, 256});
        options.put("parallel", new int[] {1, 64});
        options.put("queue", new int[] {0, 10_000});
        return java.util.Collections.unmodifiableMap(options);
    }
}
