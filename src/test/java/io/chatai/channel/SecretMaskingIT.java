package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An upstream that echoes a channel's keys and header values back in its errors, placed around the
 * 300-character cut of upstream messages: not a piece of four characters or more of any secret may reach
 * a client, the log, the usage records or the metrics.
 */
class SecretMaskingIT {
    /**
     * 42 characters, like an OpenAI key; the cut once left its first 22. Every piece of four holds a
     * '~', which no id, timestamp or field name the server writes has, so a find is always a leak.
     */
    static final String KEY = "Zq8~vNw~3Lx~7Tb~2Hj~5Kp~9Rm~4Yc~6Df~1Gs~Ua";
    static final String OTHER_KEY = "Hy4~Rt8~Ew2~Qa6~Zx0~Cv5~Bn7~Mk3~Lp9~Oi1~Uy";
    static final String HEADER_VALUE = "Pq7~Xz2~Mn8~Bt4~Wk6~Jr1";
    static final int CUT = 300;

    @Test
    void should_mask_every_key_and_header_value_before_an_echoing_error_is_cut() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        List<String> seenByClients = new ArrayList<>();
        String usageTable;
        String metrics;
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start()) {
            Api api = server.admin();
            String id = server.addChannel(upstream, Map.of("name", "echoing", "apiKeys", List.of(KEY, OTHER_KEY),
                    "headers", Map.of("X-Team-Token", HEADER_VALUE), "timeoutMs", 2000));
            // Each secret starts a little before the cut, right at it, and well before it, in both orders.
            for (int offset : new int[] {CUT - 30, CUT - 22, CUT - 8, CUT - 3, CUT - 1}) {
                for (Function<FakeUpstream.Recorded, String> echo : List.<Function<FakeUpstream.Recorded, String>>of(
                        r -> pad(offset) + r.apiKey() + " / " + r.header("x-team-token") + " / " + OTHER_KEY,
                        r -> pad(offset) + r.header("x-team-token") + " " + r.apiKey())) {
                    for (int status : new int[] {400, 401, 500}) {
                        upstream.scriptRequests(r -> Reply.status(status, echo.apply(r)));
                        seenByClients.addAll(callEveryRoute(api, id));
                    }
                    upstream.scriptRequests(r -> Reply.text("partial ").failingMidStream(500, echo.apply(r)));
                    seenByClients.addAll(callEveryRoute(api, id));
                }
            }
            assertThat(upstream.requests()).extracting(FakeUpstream.Recorded::apiKey).contains(KEY, OTHER_KEY);
            server.flushUsage();
            usageTable = TestDatabases.dumpTable(server.dataDir(), "usage_records");
            metrics = api.get("/metrics").body();
        } finally {
            root.detachAppender(logs);
        }

        StringBuilder log = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            log.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                log.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        assertThat(log.toString()).as("the failures were logged").contains("echoing");
        for (String secret : List.of(KEY, OTHER_KEY, HEADER_VALUE)) {
            assertNoPieceOf(secret, "client responses", String.join("\n", seenByClients));
            assertNoPieceOf(secret, "the log", log.toString());
            assertNoPieceOf(secret, "usage_records", usageTable);
            assertNoPieceOf(secret, "/metrics", metrics);
        }
        assertThat(String.join("\n", seenByClients)).as("the echoes reached the clients, redacted").contains("[redacted]");
        assertThat(usageTable).as("and the usage records").contains("[redacted]");
    }

    /** Every route that can show an upstream's error: both chat routes, the gateway (plain and streamed), the test call. */
    private static List<String> callEveryRoute(Api api, String channelId) {
        List<Map<String, String>> messages = List.of(Map.of("role", "user", "content", "hi"));
        List<Function<Api, String>> calls = List.of(
                a -> a.post("/api/chat", Map.of("message", "hi", "userId", "u1")).body(),
                a -> a.stream("/api/chat/stream", Map.of("message", "hi", "userId", "u2")).raw(),
                a -> a.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "messages", messages)).body(),
                a -> a.stream("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "stream", true, "messages", messages)).raw(),
                a -> a.post("/api/channels/" + channelId + "/test", Map.of()).body());
        List<String> bodies = new ArrayList<>();
        for (Function<Api, String> call : calls) {
            api.put("/api/channels/" + channelId, Map.of("name", "echoing")); // an edit: keys back in rotation, no cooldown
            bodies.add(call.apply(api));
        }
        return bodies;
    }

    private static String pad(int length) {
        return "x".repeat(length);
    }

    private static void assertNoPieceOf(String secret, String where, String text) {
        for (int i = 0; i + 4 <= secret.length(); i++) {
            String piece = secret.substring(i, i + 4);
            assertThat(text).as("%s holds '%s', a piece of a secret", where, piece).doesNotContain(piece);
        }
    }
}
