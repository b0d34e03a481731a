import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A fast fake OpenAI chat-completions upstream for benchmarks: answers POST /v1/chat/completions
 * (JSON, or SSE when the body asks for "stream": true) with a fixed reply, after an optional time to
 * first byte and with optional pacing between chunks. Run: java bench/FakeUpstream.java PORT [TTFB_MS] [GAP_MS] [CHUNKS]
 */
public class FakeUpstream {
    static final byte[] JSON = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"model\":\"bench\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello from the fake upstream.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6,\"total_tokens\":18}}")
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] CHUNK = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token \"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8);
    static final byte[] TAIL = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6,\"total_tokens\":18}}\n\ndata: [DONE]\n\n")
            .getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long ttfb = args.length > 1 ? Long.parseLong(args[1]) : 0;
        long gap = args.length > 2 ? Long.parseLong(args[2]) : 0;
        int chunks = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> handle(exchange, ttfb, gap, chunks));
        server.start();
        System.out.println("fake upstream on http://127.0.0.1:" + port + "/v1 (ttfb " + ttfb + " ms, gap " + gap + " ms, " + chunks + " chunks)");
    }

    static void handle(HttpExchange exchange, long ttfb, long gap, int chunks) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        boolean stream = new String(body, StandardCharsets.UTF_8).contains("\"stream\":true");
        sleep(ttfb);
        if (!stream) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, JSON.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(JSON);
            }
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < chunks; i++) {
                if (i > 0) {
                    sleep(gap);
                }
                out.write(CHUNK);
                out.flush();
            }
            out.write(TAIL);
        }
    }

    static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
