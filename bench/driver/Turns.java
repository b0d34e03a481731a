package driver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mode {@code turns}: a few users' conversations grown turn by turn on one connection, then the last turns of
 * the long conversations measured interleaved with early turns of short ones, with latency and the prompt
 * tokens ChatAI reports per turn. Single-threaded.
 */
final class Turns implements Mode {
    private static final Pattern PROMPT_TOKENS = Pattern.compile("\"promptTokens\"\\s*:\\s*(\\d+)");
    private final RequestFactory factory;
    private final int users;
    private final int turns;
    private final int window;
    private final int earlyFrom;
    private final int expectTokens;
    private final long stallMillis;
    private final Outcomes outcomes = new Outcomes();
    private BlockingHttp http;

    /** One turn's latency (-1 when it failed) and prompt tokens. */
    private record Turn(long latencyNanos, long promptTokens) {
        static final Turn FAILED = new Turn(-1, 0);
    }

    Turns(LoadOptions o) {
        o.values.put("kind", "chat");
        factory = new RequestFactory(o);
        users = (int) o.getLong("users", 10);
        turns = (int) o.getLong("turns", 200);
        window = (int) Math.min(o.getLong("window", 10), turns / 2);
        earlyFrom = (int) Math.max(1, Math.min(o.getLong("early-from", 6), turns - 2L * window + 1));
        expectTokens = (int) o.getLong("tokens", 6);
        stallMillis = (long) (o.getDouble("stall", 5) * 1000);
    }

    /**
     * "long" users 0..U-1 are first grown to T-W turns, "short" users U..2U-1 to earlyFrom-1 turns; then
     * the last W turns of the long conversations and turns earlyFrom..earlyFrom+W-1 of the short ones are
     * sent interleaved (long, short, long, short, ...), so both are measured in the same moments, on
     * the same database and JIT state: the difference is the conversation's length alone.
     */
    @Override
    public Map<String, Object> run() throws Exception {
        http = new BlockingHttp(factory.host, factory.port, (int) stallMillis * 4, true);
        List<Object> growth = new ArrayList<>();
        Protocol.phase("grow");
        for (int t = 1; t <= turns - window; t++) {
            Latencies l = new Latencies();
            double prompt = 0;
            for (int u = 0; u < users; u++) {
                Turn r = send(u, t);
                if (r.latencyNanos() >= 0) {
                    l.add(r.latencyNanos());
                    prompt += r.promptTokens();
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("turn", t);
            m.put("mean_us", l.count() == 0 ? null : l.summary().get("mean"));
            m.put("prompt_tokens", l.count() == 0 ? null : (Object) Timing.round(prompt / l.count()));
            growth.add(m);
        }
        for (int t = 1; t < earlyFrom; t++) {
            for (int u = 0; u < users; u++) {
                send(users + u, t);
            }
        }
        Protocol.phase("measure");
        Latencies early = new Latencies();
        Latencies late = new Latencies();
        double earlyPrompt = 0;
        double latePrompt = 0;
        for (int k = 0; k < window; k++) {
            for (int u = 0; u < users; u++) {
                Turn r = send(u, turns - window + 1 + k);
                if (r.latencyNanos() >= 0) {
                    late.add(r.latencyNanos());
                    latePrompt += r.promptTokens();
                }
                r = send(users + u, earlyFrom + k);
                if (r.latencyNanos() >= 0) {
                    early.add(r.latencyNanos());
                    earlyPrompt += r.promptTokens();
                }
            }
        }
        http.close();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "turns");
        r.put("users", users);
        r.put("turns", turns);
        r.put("ok", outcomes.ok.get());
        r.put("errors", outcomes.toMap());
        r.put("early", Map.of("from", earlyFrom, "to", earlyFrom + window - 1, "latency_us", early.summary(),
                "prompt_tokens", early.count() == 0 ? 0 : Timing.round(earlyPrompt / early.count())));
        r.put("late", Map.of("from", turns - window + 1, "to", turns, "latency_us", late.summary(),
                "prompt_tokens", late.count() == 0 ? 0 : Timing.round(latePrompt / late.count())));
        r.put("growth", growth);
        return r;
    }

    /** One turn on the (re)opened connection; a failure is counted and reported as {@link Turn#FAILED}. */
    private Turn send(long user, long turn) throws IOException {
        if (http == null) {
            http = new BlockingHttp(factory.host, factory.port, (int) stallMillis * 4, true);
        }
        try {
            long started = http.exchange(factory.request(user, turn));
            long latency = System.nanoTime() - started;
            ResponseParser p = http.parser;
            Matcher m = PROMPT_TOKENS.matcher(p.scan.captured);
            long prompt = m.find() ? Long.parseLong(m.group(1)) : 0;
            if (p.close) {
                http.close();
                http = null;
            }
            if (p.status < 200 || p.status > 299) {
                outcomes.status(p.status);
                return Turn.FAILED;
            }
            // Unlike the other modes, an error event does not count here: /api/chat answers JSON, not SSE.
            if (expectTokens > 0 && p.scan.tokens != expectTokens) {
                outcomes.body.incrementAndGet();
                return Turn.FAILED;
            }
            outcomes.ok.incrementAndGet();
            return new Turn(latency, prompt);
        } catch (IOException e) {
            outcomes.io.incrementAndGet();
            http.close();
            http = null;
            return Turn.FAILED;
        }
    }
}
