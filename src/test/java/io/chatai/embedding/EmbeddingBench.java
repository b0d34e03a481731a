package io.chatai.embedding;

import ai.onnxruntime.OrtSession;
import com.sun.management.OperatingSystemMXBean;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark (not a test): one short message embedded by all-MiniLM-L6-v2 (quantized) under several ONNX Runtime
 * session options, interleaved in one JVM; with {@code cpu}, each session in turn for a block of messages 2 ms
 * apart (as memory turns arrive), and the process's CPU time per message, its session's threads included. Run
 * with {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chatai.embedding.EmbeddingBench} (add {@code -Dexec.args="400 busy"} or {@code "400 cpu"}).
 */
public final class EmbeddingBench {
    private EmbeddingBench() {
    }

    static volatile long sink;

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        sink = x;
    }

    /** Each session alone for a block of messages 2 ms apart; the process's CPU per message, and the wall time. */
    private static void cpu(Map<String, EmbeddingModel> models, int perBlock) throws Exception {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("%n| one message every 2 ms, %d per block, 3 blocks each | CPU ms per message (process) | p50 ms per message |%n"
                + "|---|---:|---:|%n", perBlock);
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Long>> wall = new LinkedHashMap<>();
        for (int block = 0; block < 4; block++) { // the first round warms each session up and is not counted
            for (var model : models.entrySet()) {
                Thread.sleep(1_000); // the previous session's threads back asleep
                long cpu0 = os.getProcessCpuTime();
                List<Long> times = new ArrayList<>();
                for (int i = 0; i < perBlock; i++) {
                    long t0 = System.nanoTime();
                    model.getValue().embed(TextSegment.from("What did I tell you about my plans for weekend number " + i + "?"));
                    times.add(System.nanoTime() - t0);
                    LockSupport.parkNanos(2_000_000);
                }
                if (block > 0) {
                    cpu.computeIfAbsent(model.getKey(), k -> new ArrayList<>()).add((os.getProcessCpuTime() - cpu0) / 1e6 / perBlock);
                    wall.computeIfAbsent(model.getKey(), k -> new ArrayList<>()).addAll(times);
                }
            }
        }
        for (String name : models.keySet()) {
            long[] sorted = wall.get(name).stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("| %s | %s | %.3f |%n", name,
                    String.join(", ", cpu.get(name).stream().map(v -> String.format("%.2f", v)).toList()),
                    sorted[sorted.length / 2] / 1e6);
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        Map<String, MiniLmSession.Options> variants = new LinkedHashMap<>();
        variants.put("LangChain4j's session (ONNX Runtime's default options; before 2026-12-02)", o -> { });
        variants.put("intra-op threads 2, no spinning", o -> {
            o.setIntraOpNumThreads(2);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
        });
        variants.put("intra-op 1, basic graph optimizations", o -> {
            o.setIntraOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
        });
        variants.put("intra-op 1, inter-op 1, no arena", o -> {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            o.setCPUArenaAllocator(false);
        });
        Map<String, EmbeddingModel> models = new LinkedHashMap<>();
        models.put("MiniLmSession (what runs: intra-op 1, no spinning)", MiniLmSession.load());
        for (var variant : variants.entrySet()) {
            models.put(variant.getKey(), MiniLmSession.load(variant.getValue()));
        }
        if (args.length > 1 && args[1].equals("cpu")) {
            cpu(models, Integer.parseInt(args[0]));
            System.exit(0);
        }
        ai.djl.huggingface.tokenizers.HuggingFaceTokenizer tokenizer;
        try (InputStream json = EmbeddingBench.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            tokenizer = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"));
        }
        int rounds = Integer.parseInt(args.length > 0 ? args[0] : "400");
        boolean busy = args.length > 1 && args[1].equals("busy");
        int warmUp = 100;
        Map<String, long[]> times = new LinkedHashMap<>();
        models.keySet().forEach(name -> times.put(name, new long[rounds - warmUp]));
        LocalEmbeddingModel product = new LocalEmbeddingModel(2, 16);
        product.embed(List.of("warm-up"));
        times.put("LocalEmbeddingModel.embed from a virtual thread (today's path: hand-off to an inference thread)", new long[rounds - warmUp]);
        times.put("(the tokenizer alone: tokenize + encode, as LangChain4j does)", new long[rounds - warmUp]);
        List<String> names = new ArrayList<>(models.keySet());
        for (int round = 0; round < rounds; round++) {
            String message = "What did I tell you about my plans for weekend number " + round + "?";
            int at = round;
            Thread turn = Thread.ofVirtual().start(() -> {
                long t0 = System.nanoTime();
                product.embed(List.of(message));
                if (at >= warmUp) {
                    times.get("LocalEmbeddingModel.embed from a virtual thread (today's path: hand-off to an inference thread)")[at - warmUp] = System.nanoTime() - t0;
                }
            });
            turn.join();
            long tokenizing = System.nanoTime();
            List<String> tokens = tokenizer.tokenize(message);
            tokenizer.encode(String.join(" ", tokens), true, false);
            if (round >= warmUp) {
                times.get("(the tokenizer alone: tokenize + encode, as LangChain4j does)")[round - warmUp] = System.nanoTime() - tokenizing;
            }
            for (int v = 0; v < names.size(); v++) {
                String name = names.get((v + round) % names.size()); // rotate who goes first
                // With "busy": another thread works 1 ms of CPU meanwhile, as a turn does while its message embeds.
                Thread other = busy ? Thread.ofPlatform().start(() -> spin(1_000_000)) : null;
                long t0 = System.nanoTime();
                models.get(name).embed(TextSegment.from(message));
                if (other != null) {
                    other.join();
                }
                long t1 = System.nanoTime();
                if (round >= warmUp) {
                    times.get(name)[round - warmUp] = t1 - t0;
                }
            }
        }
        System.out.printf("%n| embed one message (all-MiniLM-L6-v2 q)%s | min ms | p50 ms | p90 ms |%n|---|---:|---:|---:|%n",
                busy ? ", another thread busy 1 ms meanwhile (time until both are done)" : "");
        for (var entry : times.entrySet()) {
            long[] sorted = entry.getValue().clone();
            Arrays.sort(sorted);
            System.out.printf("| %s | %.3f | %.3f | %.3f |%n", entry.getKey(), sorted[0] / 1e6, sorted[sorted.length / 2] / 1e6,
                    sorted[sorted.length * 9 / 10] / 1e6);
        }
        System.exit(0);
    }
}
