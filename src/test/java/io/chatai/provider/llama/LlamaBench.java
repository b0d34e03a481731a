package io.chatai.provider.llama;

import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.provider.Upstream;
import io.chatai.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the local engine on the tiny generated model (or a GGUF named by the first argument): load
 * time, prompt evaluation and generation speed with 1 and 2 threads and sequences, and resident memory.
 * Not a test: run it by hand (see README). Prints one line per figure.
 */
public final class LlamaBench {
    public static void main(String[] args) throws Exception {
        try {
            Path model = args.length > 0 ? Path.of(args[0]) : TinyGguf.writeTemp();
            System.out.printf("model %s, %d bytes, %d processors%n", model, Files.size(model), Runtime.getRuntime().availableProcessors());
            System.out.printf("rss before any load: %d MiB%n", rssMiB());
            for (int threads : new int[] {1, 2}) {
                for (int parallel : new int[] {1, 2}) {
                    measure(model, Map.of("threads", threads, "parallel", parallel, "contextSize", 512), parallel);
                }
            }
        } finally {
            System.exit(0); // llama.cpp's threads are not daemons
        }
    }

    private static void measure(Path model, Map<String, Object> options, int clients) throws Exception {
        try (LlamaModels models = new LlamaModels(() -> null);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long started = System.nanoTime();
            models.acquire(new LlamaModels.Key(model, options)).close();
            System.out.printf("%s: load %d ms, rss %d MiB%n", options, (System.nanoTime() - started) / 1_000_000, rssMiB());
            LlamaProvider provider = new LlamaProvider(models);
            Upstream upstream = new Upstream("bench", null, null, Map.of(), Duration.ofSeconds(60), null, model.toString(), options);
            complete(provider, upstream, "warm up", 8);
            // Prompt evaluation: a long prompt, one token out.
            started = System.nanoTime();
            Completion prompt = complete(provider, upstream, "word ".repeat(50), 1);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("  prompt of %d tokens: %.1f ms (%.0f tokens/s incl. template and tokenizing)%n",
                    prompt.usage().promptTokens(), seconds * 1000, prompt.usage().promptTokens() / seconds);
            // Generation: 400 tokens per answer, `clients` answers at once, 5 rounds.
            started = System.nanoTime();
            long tokens = 0;
            for (int round = 0; round < 5; round++) {
                List<Future<Completion>> answers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    answers.add(pool.submit(() -> complete(provider, upstream, "Tell me a story.", 400)));
                }
                for (Future<Completion> answer : answers) {
                    tokens += answer.get().usage().completionTokens();
                }
            }
            seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("  generation: %d tokens in %.2f s = %.0f tokens/s with %d clients; rss %d MiB%n",
                    tokens, seconds, tokens / seconds, clients, rssMiB());
        }
    }

    private static Completion complete(LlamaProvider provider, Upstream upstream, String text, int maxTokens) {
        return provider.complete(upstream, new ModelRequest("bench", List.of(ChatMessage.user(text)), 0.7, null, maxTokens),
                new Cancellation());
    }

    private static long rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
