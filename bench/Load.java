import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's load driver (JDK only). Every latency is measured with {@code System.nanoTime()} around
 * the exchange and kept whole (a long per request, sorted at the end), so means and percentiles are exact
 * to the microsecond; nothing is sampled or "corrected".
 *
 * <p>Modes:
 * <ul>
 * <li>{@code closed}: C keep-alive connections, each sending its next request as soon as its previous
 *     answer is complete (a closed loop, like wrk, on NIO selector threads). Requests started during the
 *     warm-up are discarded; requests started during the measured window are kept, also when they end
 *     after it (so slow ones are not cut off).</li>
 * <li>{@code streams}: N concurrent streams, one connection each, opened evenly over a ramp, each on a
 *     virtual thread; records per stream the time to first token, to the end, the longest silence, and
 *     counts stalls (no byte for the expected gap + the stall threshold).</li>
 * <li>{@code rate}: an open loop at a fixed request rate (for the soak), latency counted from each
 *     request's scheduled time (so a stalled server cannot hide behind a slow generator), one JSON line
 *     per interval.</li>
 * <li>{@code turns}: a few users each sending T turns in sequence on one connection (conversations grow
 *     to T turns), latency and prompt tokens per turn.</li>
 * </ul>
 *
 * A response counts as ok when its status is 2xx and its body holds exactly the expected number of the
 * fake upstream's content tokens ("lorem"), whatever format the target speaks (OpenAI JSON, OpenAI SSE,
 * ChatAI JSON, ChatAI SSE); a ChatAI SSE {@code "type":"error"} event makes it an error. Results are one
 * line {@code RESULT {json}} on stdout (latencies in microseconds); phases are announced with
 * {@code PHASE name} lines so an orchestrator can sample the servers at the right moments.
 *
 * <pre>
 * java bench/Load.java closed  --url http://127.0.0.1:3000/api/chat --kind chat --auth KEY -c 64 --warmup 5 --duration 20
 * java bench/Load.java streams --url http://127.0.0.1:3000/api/chat/stream --kind chat --auth KEY --model fake-g500-n20 --tokens 20 -n 1000 --ramp 5 --gap 500
 * java bench/Load.java rate    --url http://127.0.0.1:3000/api/chat --kind chat --auth KEY --rate 500 --duration 60 --interval 10
 * java bench/Load.java turns   --url http://127.0.0.1:3000/api/chat --auth KEY --users 10 --turns 200 --preset default
 * </pre>
 * Options shared by all modes: {@code --url}, {@code --kind openai|chat}, {@code --model M} (openai default
 * {@code fake}; chat: sent only when given), {@code --stream} (ask for a stream; for chat point the URL at
 * /api/chat/stream), {@code --auth TOKEN}, {@code -H "Name: value"} (repeatable), {@code --tokens N}
 * (expected content tokens, default 6; 0 skips the check), {@code --prefix P} (user ids), {@code --stall S}
 * (seconds; default 5).
 */
public class Load {
    static final byte[] TOKEN = "lorem".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ERROR_EVENT = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java bench/Load.java closed|streams|rate|turns [options] (see the source's header)");
            System.exit(2);
        }
        Options o = new Options(Arrays.copyOfRange(args, 1, args.length));
        Map<String, Object> result = switch (args[0]) {
            case "closed" -> new Closed(o).run();
            case "streams" -> new Streams(o).run();
            case "rate" -> new Rate(o).run();
            case "turns" -> new Turns(o).run();
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        System.out.println("RESULT " + Json.write(result));
        System.out.flush();
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------------
    // Options and requests

    static final class Options {
        final Map<String, String> values = new LinkedHashMap<>();
        final List<String> headers = new ArrayList<>();

        Options(String[] args) {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-H") || a.equals("--header")) {
                    headers.add(args[++i]);
                } else if (a.equals("--stream")) {
                    values.put("stream", "true");
                } else if (a.startsWith("-")) {
                    String name = a.replaceFirst("^-+", "");
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value for " + a);
                    }
                    values.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument " + a);
                }
            }
        }

        String get(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        long getLong(String name, long fallback) {
            return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
        }

        double getDouble(String name, double fallback) {
            return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
        }
    }

    /** Builds the HTTP/1.1 requests of one target: the head once, the body per request. */
    static final class RequestFactory {
        final String host;
        final int port;
        final String path;
        final boolean chat;
        final boolean stream;
        final String model;
        final String prefix;
        final String preset;
        final byte[] head; // up to and including "Content-Length: "
        final byte[] staticRequest;

        RequestFactory(Options o) {
            java.net.URI uri = java.net.URI.create(o.get("url", "http://127.0.0.1:3000/v1/chat/completions"));
            host = uri.getHost();
            port = uri.getPort() > 0 ? uri.getPort() : 80;
            path = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            chat = o.get("kind", "openai").equals("chat");
            stream = o.values.containsKey("stream");
            model = o.get("model", chat ? null : "fake");
            prefix = o.get("prefix", "u");
            preset = o.get("preset", null);
            StringBuilder h = new StringBuilder(256);
            h.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                    .append("\r\nContent-Type: application/json\r\n");
            if (stream) {
                h.append("Accept: text/event-stream\r\n");
            }
            String auth = o.get("auth", null);
            if (auth != null && !auth.isEmpty()) {
                h.append("Authorization: Bearer ").append(auth).append("\r\n");
            }
            for (String header : o.headers) {
                h.append(header.trim()).append("\r\n");
            }
            h.append("Content-Length: ");
            head = h.toString().getBytes(StandardCharsets.UTF_8);
            staticRequest = chat ? null : build(("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":"
                    + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Hello, how are you today?\"}]"
                    + (stream ? ",\"stream\":true" : "") + "}").getBytes(StandardCharsets.UTF_8));
        }

        /** The request for turn {@code turn} of user {@code user} (openai: always the same bytes). */
        byte[] request(long user, long turn) {
            if (!chat) {
                return staticRequest;
            }
            StringBuilder b = new StringBuilder(160);
            b.append("{\"message\":\"Hello number ").append(turn).append(", how are you today?\",\"userId\":\"")
                    .append(prefix).append('-').append(user).append("\",\"groupId\":\"bench\"");
            if (model != null) {
                b.append(",\"model\":\"").append(model).append('"');
            }
            if (preset != null) {
                b.append(",\"preset\":\"").append(preset).append('"');
            }
            b.append('}');
            return build(b.toString().getBytes(StandardCharsets.UTF_8));
        }

        byte[] build(byte[] body) {
            byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[head.length + length.length + body.length];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(length, 0, out, head.length, length.length);
            System.arraycopy(body, 0, out, head.length + length.length, body.length);
            return out;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Incremental HTTP/1.1 response parser (status, headers, Content-Length or chunked body), with the
    // token and error-event scan of the body.

    static final class ResponseParser {
        static final int STATUS = 0, HEADER = 1, BODY = 2, CHUNK_SIZE = 3, CHUNK_DATA = 4, CHUNK_END = 5, TRAILER = 6,
                DONE = 7, BODY_TO_EOF = 8;
        byte[] line = new byte[256]; // grows up to 64 KB for a long header line
        int lineLength;
        int state = STATUS;
        int status;
        long remaining;
        boolean chunked;
        boolean close;
        boolean lengthKnown;
        // body scan
        int tokens;
        int tokenMatch;
        int errorMatch;
        boolean errorEvent;
        long firstTokenNanos;
        long lastDataNanos;
        long maxGapNanos;
        long bodyBytes;
        final StringBuilder captured; // the body, when asked for (turns mode)

        ResponseParser(boolean capture) {
            captured = capture ? new StringBuilder() : null;
        }

        void reset() {
            state = STATUS;
            lineLength = 0;
            status = 0;
            remaining = 0;
            chunked = false;
            close = false;
            lengthKnown = false;
            tokens = 0;
            tokenMatch = 0;
            errorMatch = 0;
            errorEvent = false;
            firstTokenNanos = 0;
            lastDataNanos = 0;
            maxGapNanos = 0;
            bodyBytes = 0;
            if (captured != null) {
                captured.setLength(0);
            }
        }

        boolean done() {
            return state == DONE;
        }

        /** Consumes bytes; returns how many were used (fewer than len only once the response is complete). */
        int feed(byte[] buf, int off, int len, long now) throws IOException {
            int i = off;
            int end = off + len;
            while (i < end && state != DONE) {
                switch (state) {
                    case STATUS, HEADER, CHUNK_SIZE, CHUNK_END, TRAILER -> {
                        byte b = buf[i++];
                        if (b == '\n') {
                            int l = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                            lineLength = 0;
                            onLine(l);
                        } else {
                            if (lineLength == line.length) {
                                if (line.length >= 64 * 1024) {
                                    throw new IOException("response line too long");
                                }
                                line = Arrays.copyOf(line, line.length * 2);
                            }
                            line[lineLength++] = b;
                        }
                    }
                    case BODY, CHUNK_DATA -> {
                        int n = (int) Math.min(remaining, end - i);
                        scan(buf, i, n, now);
                        i += n;
                        remaining -= n;
                        if (remaining == 0) {
                            state = state == BODY ? DONE : CHUNK_END;
                        }
                    }
                    case BODY_TO_EOF -> {
                        scan(buf, i, end - i, now);
                        i = end;
                    }
                    default -> throw new IllegalStateException();
                }
            }
            return i - off;
        }

        /** The server closed the connection: completes a body that runs to EOF, else it is an error. */
        boolean eof() {
            if (state == BODY_TO_EOF) {
                state = DONE;
                return true;
            }
            return false;
        }

        private void onLine(int l) throws IOException {
            switch (state) {
                case STATUS -> {
                    if (l == 0) {
                        return; // tolerate a stray CRLF
                    }
                    if (l < 12 || line[0] != 'H') {
                        throw new IOException("bad status line: " + new String(line, 0, Math.min(l, 80), StandardCharsets.ISO_8859_1));
                    }
                    status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
                    close = line[7] == '0'; // HTTP/1.0
                    state = HEADER;
                }
                case HEADER -> {
                    if (l == 0) {
                        if (status == 100) { // 100 Continue: a second status line follows
                            state = STATUS;
                        } else if (chunked) {
                            state = CHUNK_SIZE;
                        } else if (lengthKnown) {
                            state = remaining == 0 ? DONE : BODY;
                        } else if (status == 204 || status == 304) {
                            state = DONE;
                        } else {
                            state = BODY_TO_EOF;
                            close = true;
                        }
                        return;
                    }
                    int colon = indexOf(line, l, (byte) ':');
                    if (colon <= 0) {
                        return;
                    }
                    if (nameIs("content-length", colon)) {
                        remaining = Long.parseLong(value(colon, l));
                        lengthKnown = true;
                    } else if (nameIs("transfer-encoding", colon)) {
                        chunked = value(colon, l).toLowerCase(Locale.ROOT).contains("chunked");
                    } else if (nameIs("connection", colon)) {
                        close = value(colon, l).equalsIgnoreCase("close");
                    }
                }
                case CHUNK_SIZE -> {
                    int semi = indexOf(line, l, (byte) ';');
                    String hex = new String(line, 0, semi >= 0 ? semi : l, StandardCharsets.US_ASCII).trim();
                    if (hex.isEmpty()) {
                        return;
                    }
                    remaining = Long.parseLong(hex, 16);
                    state = remaining == 0 ? TRAILER : CHUNK_DATA;
                }
                case CHUNK_END -> state = CHUNK_SIZE;
                case TRAILER -> {
                    if (l == 0) {
                        state = DONE;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }

        private void scan(byte[] buf, int off, int len, long now) {
            if (len <= 0) {
                return;
            }
            if (lastDataNanos != 0) {
                maxGapNanos = Math.max(maxGapNanos, now - lastDataNanos);
            }
            lastDataNanos = now;
            bodyBytes += len;
            if (captured != null) {
                captured.append(new String(buf, off, len, StandardCharsets.UTF_8));
            }
            for (int i = off; i < off + len; i++) {
                byte b = buf[i];
                if (b == TOKEN[tokenMatch]) {
                    if (++tokenMatch == TOKEN.length) {
                        if (tokens++ == 0) {
                            firstTokenNanos = now;
                        }
                        tokenMatch = 0;
                    }
                } else {
                    tokenMatch = b == TOKEN[0] ? 1 : 0;
                }
                if (b == ERROR_EVENT[errorMatch]) {
                    if (++errorMatch == ERROR_EVENT.length) {
                        errorEvent = true;
                        errorMatch = 0;
                    }
                } else {
                    errorMatch = b == ERROR_EVENT[0] ? 1 : 0;
                }
            }
        }

        private boolean nameIs(String name, int colon) {
            if (colon != name.length()) {
                return false;
            }
            for (int i = 0; i < colon; i++) {
                int c = line[i];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != name.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String value(int colon, int l) {
            return new String(line, colon + 1, l - colon - 1, StandardCharsets.ISO_8859_1).trim();
        }

        private static int indexOf(byte[] a, int l, byte b) {
            for (int i = 0; i < l; i++) {
                if (a[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Statistics

    /** A growable array of longs (latencies in nanoseconds). */
    static final class Longs {
        long[] a = new long[1 << 16];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void addAll(Longs o) {
            for (int i = 0; i < o.n; i++) {
                add(o.a[i]);
            }
        }

        /** mean, percentiles and max in microseconds (3 decimals), exact (nearest-rank on the sorted values). */
        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", n);
            if (n == 0) {
                return m;
            }
            long[] s = Arrays.copyOf(a, n);
            Arrays.sort(s);
            double sum = 0;
            for (long v : s) {
                sum += v;
            }
            m.put("mean", round(sum / n / 1000.0));
            m.put("min", round(s[0] / 1000.0));
            for (double p : new double[] {50, 90, 99, 99.9}) {
                m.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)), round(percentile(s, p) / 1000.0));
            }
            m.put("max", round(s[n - 1] / 1000.0));
            return m;
        }

        static long percentile(long[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /** Error and outcome counters, thread-safe. */
    static final class Outcomes {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong connect = new AtomicLong();
        final AtomicLong io = new AtomicLong();
        final AtomicLong body = new AtomicLong();
        final AtomicLong stalls = new AtomicLong();
        final Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();

        void status(int code) {
            statuses.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
        }

        long errors() {
            return connect.get() + io.get() + body.get() + statuses.values().stream().mapToLong(AtomicLong::get).sum();
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connect", connect.get());
            m.put("io", io.get());
            m.put("body", body.get());
            Map<String, Object> s = new TreeMap<>();
            statuses.forEach((k, v) -> s.put(String.valueOf(k), v.get()));
            m.put("status", s);
            m.put("total", errors());
            return m;
        }
    }

    static long cpuNanosOfSelf() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // USER_HZ = 100
        } catch (Exception e) {
            return 0;
        }
    }

    static void phase(String name) {
        System.out.println("PHASE " + name);
        System.out.flush();
    }

    // ------------------------------------------------------------------------------------------------
    // closed: C connections in a closed loop on NIO selector threads

    static final class Closed {
        final RequestFactory factory;
        final int connections;
        final int threads;
        final long warmupNanos;
        final long durationNanos;
        final long stallNanos;
        final int expectTokens;
        final long usersPerConnection;
        final Outcomes outcomes = new Outcomes();
        volatile long measureStart = Long.MAX_VALUE;
        volatile long measureEnd = Long.MAX_VALUE;
        volatile boolean stopping;

        Closed(Options o) {
            factory = new RequestFactory(o);
            connections = (int) o.getLong("c", 1);
            threads = (int) Math.max(1, Math.min(connections, o.getLong("threads", 1)));
            warmupNanos = (long) (o.getDouble("warmup", 2) * 1e9);
            durationNanos = (long) (o.getDouble("duration", 10) * 1e9);
            stallNanos = (long) (o.getDouble("stall", 5) * 1e9);
            expectTokens = (int) o.getLong("tokens", 6);
            // Connection j talks as users j, j + C, j + 2C, ...: no two requests in flight ever share a
            // conversation, and each user gets turn after turn.
            long users = o.getLong("users", Math.max(1000, 4L * connections));
            usersPerConnection = Math.max(1, users / connections);
        }

        Map<String, Object> run() throws Exception {
            List<Worker> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(new Worker());
            }
            for (int j = 0; j < connections; j++) {
                workers.get(j % threads).add(new Conn(j));
            }
            long start = System.nanoTime();
            phase("warmup");
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Worker w = workers.get(t);
                running.add(Thread.ofPlatform().name("load-" + t).start(w));
            }
            sleepUntil(start + warmupNanos);
            long cpu0 = cpuNanosOfSelf();
            measureStart = System.nanoTime();
            phase("measure");
            sleepUntil(measureStart + durationNanos);
            measureEnd = System.nanoTime();
            long cpu1 = cpuNanosOfSelf();
            phase("drain");
            stopping = true;
            for (Thread t : running) {
                t.join();
            }
            Longs latencies = new Longs();
            Longs ttft = new Longs();
            long stalls = 0;
            long requests = 0;
            long bytes = 0;
            long unfinished = 0;
            for (Worker w : workers) {
                latencies.addAll(w.latencies);
                ttft.addAll(w.ttft);
                stalls += w.stalls;
                requests += w.requests;
                bytes += w.bytes;
                unfinished += w.unfinished;
            }
            outcomes.stalls.set(stalls);
            double seconds = (measureEnd - measureStart) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mode", "closed");
            r.put("connections", connections);
            r.put("threads", threads);
            r.put("seconds", round(seconds));
            r.put("requests", requests);
            r.put("ok", outcomes.ok.get());
            r.put("rps", round(outcomes.ok.get() / seconds));
            r.put("errors", outcomes.toMap());
            r.put("stalls", stalls);
            r.put("unfinished", unfinished);
            r.put("bytes", bytes);
            r.put("latency_us", latencies.summary());
            if (factory.stream) {
                r.put("ttft_us", ttft.summary());
            }
            r.put("driver_cpu_us_per_request", requests == 0 ? 0 : round((cpu1 - cpu0) / 1000.0 / requests));
            return r;
        }

        final class Conn {
            final int index;
            SocketChannel channel;
            SelectionKey key;
            ByteBuffer out;
            final ResponseParser parser = new ResponseParser(false);
            long turn;
            long started;
            boolean inFlight;
            boolean stallCounted;
            long reconnectAt;

            Conn(int index) {
                this.index = index;
            }
        }

        final class Worker implements Runnable {
            final List<Conn> conns = new ArrayList<>();
            final Longs latencies = new Longs();
            final Longs ttft = new Longs();
            final byte[] buf = new byte[64 * 1024];
            final ByteBuffer in = ByteBuffer.wrap(buf);
            Selector selector;
            long stalls;
            long requests;
            long bytes;
            long unfinished;

            void add(Conn c) {
                conns.add(c);
            }

            @Override
            public void run() {
                try {
                    selector = Selector.open();
                    for (Conn c : conns) {
                        connect(c);
                    }
                    long nextCheck = System.nanoTime() + 50_000_000L;
                    long drainDeadline = Long.MAX_VALUE;
                    while (true) {
                        selector.select(10);
                        long now = System.nanoTime();
                        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                        while (it.hasNext()) {
                            SelectionKey k = it.next();
                            it.remove();
                            Conn c = (Conn) k.attachment();
                            try {
                                if (k.isConnectable()) {
                                    try {
                                        c.channel.finishConnect();
                                    } catch (IOException e) {
                                        outcomes.connect.incrementAndGet();
                                        close(c);
                                        c.reconnectAt = now + 100_000_000L;
                                        continue;
                                    }
                                    k.interestOps(0);
                                    send(c);
                                    continue;
                                }
                                if (k.isWritable()) {
                                    write(c);
                                }
                                if (k.isValid() && k.isReadable()) {
                                    read(c);
                                }
                            } catch (IOException e) {
                                failed(c, e, now);
                            }
                        }
                        if (now >= nextCheck) {
                            nextCheck = now + 50_000_000L;
                            for (Conn c : conns) {
                                if (c.inFlight && !c.stallCounted && now - c.started > stallNanos) {
                                    c.stallCounted = true;
                                    if (c.started >= measureStart && c.started < measureEnd) {
                                        stalls++;
                                    }
                                }
                                if (c.channel == null && c.reconnectAt != 0 && now >= c.reconnectAt && !stopping) {
                                    connect(c);
                                }
                            }
                        }
                        if (stopping) {
                            if (drainDeadline == Long.MAX_VALUE) {
                                drainDeadline = now + stallNanos + 1_000_000_000L;
                            }
                            boolean busy = false;
                            for (Conn c : conns) {
                                busy |= c.inFlight && c.started < measureEnd;
                            }
                            if (!busy || now > drainDeadline) {
                                for (Conn c : conns) {
                                    if (c.inFlight && c.started >= measureStart && c.started < measureEnd) {
                                        unfinished++;
                                    }
                                    close(c);
                                }
                                selector.close();
                                return;
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            void connect(Conn c) {
                try {
                    c.reconnectAt = 0;
                    c.channel = SocketChannel.open();
                    c.channel.configureBlocking(false);
                    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    boolean connected = c.channel.connect(new InetSocketAddress(factory.host, factory.port));
                    c.key = c.channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, c);
                    if (connected) {
                        send(c);
                    }
                } catch (IOException e) {
                    outcomes.connect.incrementAndGet();
                    close(c);
                    c.reconnectAt = System.nanoTime() + 100_000_000L;
                }
            }

            void send(Conn c) throws IOException {
                if (stopping) {
                    c.key.interestOps(0);
                    return;
                }
                long user = c.index + (long) connections * (c.turn % usersPerConnection);
                c.out = ByteBuffer.wrap(factory.request(user, c.turn));
                c.turn++;
                c.parser.reset();
                c.inFlight = true;
                c.stallCounted = false;
                c.started = System.nanoTime();
                write(c);
            }

            void write(Conn c) throws IOException {
                c.channel.write(c.out);
                c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }

            void read(Conn c) throws IOException {
                while (true) {
                    in.clear();
                    int n = c.channel.read(in);
                    long now = System.nanoTime();
                    if (n < 0) {
                        if (c.inFlight && c.parser.eof()) {
                            complete(c, now);
                        }
                        if (c.inFlight) {
                            throw new EOFException("connection closed mid-response");
                        }
                        close(c);
                        c.reconnectAt = now; // the server closed an idle keep-alive connection
                        return;
                    }
                    if (n == 0) {
                        return;
                    }
                    bytes += n;
                    if (!c.inFlight) {
                        throw new IOException("unexpected bytes from the server");
                    }
                    int used = c.parser.feed(buf, 0, n, now);
                    if (c.parser.done()) {
                        if (used < n) {
                            throw new IOException("bytes after the response");
                        }
                        boolean close = c.parser.close;
                        complete(c, now);
                        if (close) {
                            close(c);
                            connect(c);
                        } else {
                            send(c);
                        }
                        return;
                    }
                }
            }

            void complete(Conn c, long now) {
                c.inFlight = false;
                ResponseParser p = c.parser;
                if (c.started < measureStart || c.started >= measureEnd) {
                    return;
                }
                requests++;
                latencies.add(now - c.started);
                if (p.firstTokenNanos != 0) {
                    ttft.add(p.firstTokenNanos - c.started);
                }
                if (p.status < 200 || p.status > 299) {
                    outcomes.status(p.status);
                } else if ((expectTokens > 0 && p.tokens != expectTokens) || p.errorEvent) {
                    outcomes.body.incrementAndGet();
                } else {
                    outcomes.ok.incrementAndGet();
                }
            }

            void failed(Conn c, IOException e, long now) {
                if (c.inFlight && c.started >= measureStart && c.started < measureEnd) {
                    requests++;
                    outcomes.io.incrementAndGet();
                }
                c.inFlight = false;
                close(c);
                c.reconnectAt = now + 10_000_000L;
            }

            void close(Conn c) {
                if (c.key != null) {
                    c.key.cancel();
                    c.key = null;
                }
                if (c.channel != null) {
                    try {
                        c.channel.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                    c.channel = null;
                }
            }
        }
    }

    static void sleepUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            LockSupport.parkNanos(Math.min(deadline - now, 100_000_000L));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // A blocking HTTP/1.1 connection for the thread-per-request modes (virtual threads)

    static final class Http implements Closeable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[4 * 1024];
        final ResponseParser parser;

        Http(String host, int port, int timeoutMillis, boolean capture) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 30_000);
            socket.setSoTimeout(timeoutMillis);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            parser = new ResponseParser(capture);
        }

        /** Sends the request and reads its response into {@link #parser}; returns the send time. */
        long exchange(byte[] request) throws IOException {
            parser.reset();
            long started = System.nanoTime();
            out.write(request);
            out.flush();
            while (!parser.done()) {
                int n = in.read(buf);
                long now = System.nanoTime();
                if (n < 0) {
                    if (parser.eof()) {
                        break;
                    }
                    throw new EOFException("connection closed mid-response");
                }
                parser.feed(buf, 0, n, now);
            }
            return started;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // streams: N concurrent streams over a ramp

    static final class Streams {
        final RequestFactory factory;
        final int n;
        final long rampNanos;
        final long gapMillis;
        final long stallMillis;
        final int expectTokens;
        final Outcomes outcomes = new Outcomes();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger peakOpen = new AtomicInteger();
        final AtomicInteger settled = new AtomicInteger(); // first token received, or failed
        final AtomicInteger finished = new AtomicInteger();
        final long[] ttft;
        final long[] total;
        final long[] maxGap;
        final long[] starts;
        final Options options;
        long t0;

        Streams(Options o) {
            options = o;
            factory = new RequestFactory(o);
            n = (int) o.getLong("n", 1000);
            rampNanos = (long) (o.getDouble("ramp", 5) * 1e9);
            gapMillis = o.getLong("gap", 500);
            stallMillis = (long) (o.getDouble("stall", 5) * 1000);
            expectTokens = (int) o.getLong("tokens", 20);
            ttft = new long[n];
            total = new long[n];
            maxGap = new long[n];
            starts = new long[n];
            Arrays.fill(ttft, -1);
            Arrays.fill(total, -1);
        }

        /**
         * Warms the driver's and the target's code (JIT) with short unpaced streams over fresh connections, as
         * other users, before the measured ramp: a fresh driver JVM reads its first streams late otherwise.
         */
        void warmUp(int count) throws Exception {
            if (count <= 0) {
                return;
            }
            Options w = new Options(new String[0]);
            w.values.putAll(options.values);
            w.headers.addAll(options.headers);
            w.values.remove("model"); // unpaced: openai asks for "fake", chat for the preset's model
            w.values.put("prefix", options.get("prefix", "u") + "-warm");
            RequestFactory warm = new RequestFactory(w);
            phase("warmup");
            AtomicInteger next = new AtomicInteger();
            List<Thread> workers = new ArrayList<>();
            for (int k = 0; k < 32; k++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        try (Http http = new Http(warm.host, warm.port, (int) stallMillis, false)) {
                            http.exchange(warm.request(i, 0));
                        } catch (IOException e) {
                            // warm-up only
                        }
                    }
                }));
            }
            for (Thread t : workers) {
                t.join();
            }
        }

        Map<String, Object> run() throws Exception {
            warmUp((int) options.getLong("warmup-streams", Math.min(2000, n)));
            CountDownLatch done = new CountDownLatch(n);
            long start = System.nanoTime();
            t0 = start;
            phase("ramp");
            Thread monitor = Thread.ofPlatform().daemon().start(() -> {
                boolean plateau = false;
                while (done.getCount() > 0) {
                    LockSupport.parkNanos(50_000_000L);
                    if (!plateau && settled.get() >= n) {
                        plateau = true;
                        System.out.println("PLATEAU open=" + open.get() + " peak=" + peakOpen.get());
                        System.out.flush();
                    }
                }
            });
            for (int i = 0; i < n; i++) {
                long at = start + (n <= 1 ? 0 : rampNanos * i / (n - 1));
                sleepUntil(at);
                int index = i;
                Thread.ofVirtual().start(() -> {
                    try {
                        stream(index);
                    } finally {
                        done.countDown();
                    }
                });
            }
            phase("started");
            done.await();
            monitor.join(200);
            phase("done");
            Longs t1 = new Longs();
            Longs t2 = new Longs();
            Longs gaps = new Longs();
            for (int i = 0; i < n; i++) {
                if (ttft[i] >= 0) {
                    t1.add(ttft[i]);
                }
                if (total[i] >= 0) {
                    t2.add(total[i]);
                    gaps.add(maxGap[i]);
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mode", "streams");
            r.put("streams", n);
            r.put("ok", outcomes.ok.get());
            r.put("errors", outcomes.toMap());
            r.put("stalls", outcomes.stalls.get());
            r.put("peak_open", peakOpen.get());
            r.put("seconds", round((System.nanoTime() - start) / 1e9));
            r.put("ttft_us", t1.summary());
            r.put("total_us", t2.summary());
            r.put("max_gap_us", gaps.summary());
            String dump = options.get("dump", null);
            if (dump != null) {
                StringBuilder b = new StringBuilder("stream\tstart_ms\tttft_us\ttotal_us\tmax_gap_us\n");
                for (int i = 0; i < n; i++) {
                    b.append(i).append('\t').append(round(starts[i] / 1e6)).append('\t').append(round(ttft[i] / 1e3)).append('\t')
                            .append(round(total[i] / 1e3)).append('\t').append(round(maxGap[i] / 1e3)).append('\n');
                }
                Files.writeString(Path.of(dump), b.toString());
            }
            return r;
        }

        void stream(int i) {
            Http http;
            try {
                http = new Http(factory.host, factory.port, (int) (gapMillis + stallMillis), false);
            } catch (IOException e) {
                outcomes.connect.incrementAndGet();
                settled.incrementAndGet();
                return;
            }
            boolean counted = false;
            int nowOpen = open.incrementAndGet();
            peakOpen.accumulateAndGet(nowOpen, Math::max);
            long started = System.nanoTime();
            starts[i] = started - t0;
            try (http) {
                byte[] request = factory.request(i, 0);
                ResponseParser p = http.parser;
                p.reset();
                http.out.write(request);
                http.out.flush();
                while (!p.done()) {
                    int read = http.in.read(http.buf);
                    long now = System.nanoTime();
                    if (read < 0) {
                        if (p.eof()) {
                            break;
                        }
                        throw new EOFException("closed mid-stream");
                    }
                    p.feed(http.buf, 0, read, now);
                    if (!counted && (p.tokens > 0 || p.done())) {
                        counted = true;
                        settled.incrementAndGet();
                        if (p.firstTokenNanos != 0) {
                            ttft[i] = p.firstTokenNanos - started;
                        }
                    }
                }
                long now = System.nanoTime();
                total[i] = now - started;
                maxGap[i] = p.maxGapNanos;
                if (p.status < 200 || p.status > 299) {
                    outcomes.status(p.status);
                } else if ((expectTokens > 0 && p.tokens != expectTokens) || p.errorEvent) {
                    outcomes.body.incrementAndGet();
                } else {
                    outcomes.ok.incrementAndGet();
                }
            } catch (SocketTimeoutException e) {
                outcomes.stalls.incrementAndGet();
                outcomes.io.incrementAndGet();
            } catch (IOException e) {
                outcomes.io.incrementAndGet();
            } finally {
                if (!counted) {
                    settled.incrementAndGet();
                }
                open.decrementAndGet();
                finished.incrementAndGet();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // rate: open loop at a fixed rate, one line per interval

    static final class Rate {
        final RequestFactory factory;
        final double rate;
        final long durationNanos;
        final long intervalNanos;
        final long stallMillis;
        final int expectTokens;
        final long users;
        final int maxInFlight;
        final ConcurrentLinkedQueue<Http> idle = new ConcurrentLinkedQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();
        volatile Window window = new Window();

        Rate(Options o) {
            factory = new RequestFactory(o);
            rate = o.getDouble("rate", 100);
            durationNanos = (long) (o.getDouble("duration", 60) * 1e9);
            intervalNanos = (long) (o.getDouble("interval", 10) * 1e9);
            stallMillis = (long) (o.getDouble("stall", 5) * 1000);
            expectTokens = (int) o.getLong("tokens", 6);
            users = o.getLong("users", 10_000);
            maxInFlight = (int) o.getLong("max-inflight", 4096);
        }

        static final class Window {
            final Longs latencies = new Longs();
            final Outcomes outcomes = new Outcomes();
            long dropped;
        }

        Map<String, Object> run() throws Exception {
            long start = System.nanoTime();
            double period = 1e9 / rate;
            long total = (long) (durationNanos / period);
            Longs all = new Longs();
            Outcomes allOutcomes = new Outcomes();
            long[] dropped = {0};
            long nextReport = start + intervalNanos;
            long lastReport = start;
            int intervalIndex = 0;
            phase("measure");
            for (long i = 0; i < total; i++) {
                long at = start + (long) (i * period);
                while (true) {
                    long now = System.nanoTime();
                    if (now >= nextReport) {
                        report(++intervalIndex, (nextReport - start) / 1e9, (nextReport - lastReport) / 1e9, all, allOutcomes, dropped);
                        lastReport = nextReport;
                        nextReport += intervalNanos;
                        continue;
                    }
                    if (now >= at) {
                        break;
                    }
                    sleepUntil(Math.min(at, nextReport));
                }
                if (inFlight.get() >= maxInFlight) {
                    synchronized (this) {
                        window.dropped++;
                    }
                    continue;
                }
                long seq = i;
                inFlight.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    try {
                        one(seq, at);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            }
            long end = start + durationNanos;
            sleepUntil(end);
            long deadline = System.nanoTime() + stallMillis * 1_000_000L + 1_000_000_000L;
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000L);
            }
            int unfinished = inFlight.get();
            long now = System.nanoTime();
            if (end - lastReport > intervalNanos / 10) {
                report(++intervalIndex, (end - start) / 1e9, (end - lastReport) / 1e9, all, allOutcomes, dropped);
            } else {
                report(0, (end - start) / 1e9, Math.max(1e-9, (now - lastReport) / 1e9), all, allOutcomes, dropped); // stragglers, not printed as a row
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mode", "rate");
            r.put("rate", rate);
            r.put("seconds", round((end - start) / 1e9));
            r.put("ok", allOutcomes.ok.get());
            r.put("rps", round(allOutcomes.ok.get() / ((end - start) / 1e9)));
            r.put("errors", allOutcomes.toMap());
            r.put("stalls", allOutcomes.stalls.get());
            r.put("dropped", dropped[0]);
            r.put("unfinished", unfinished);
            r.put("latency_us", all.summary());
            Http h;
            while ((h = idle.poll()) != null) {
                h.close();
            }
            return r;
        }

        /** Closes the current window (requests completed since the last report) and prints it (index 0: fold in silently). */
        void report(int index, double at, double seconds, Longs all, Outcomes allOutcomes, long[] dropped) {
            Window w;
            synchronized (this) {
                w = window;
                window = new Window();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interval", index);
            m.put("t", round(at));
            m.put("ok", w.outcomes.ok.get());
            m.put("rps", round(w.outcomes.ok.get() / seconds));
            m.put("errors", w.outcomes.errors());
            m.put("stalls", w.outcomes.stalls.get());
            m.put("dropped", w.dropped);
            m.put("in_flight", inFlight.get());
            m.put("latency_us", w.latencies.summary());
            all.addAll(w.latencies);
            allOutcomes.ok.addAndGet(w.outcomes.ok.get());
            allOutcomes.io.addAndGet(w.outcomes.io.get());
            allOutcomes.connect.addAndGet(w.outcomes.connect.get());
            allOutcomes.body.addAndGet(w.outcomes.body.get());
            allOutcomes.stalls.addAndGet(w.outcomes.stalls.get());
            w.outcomes.statuses.forEach((k, v) -> allOutcomes.statuses.computeIfAbsent(k, x -> new AtomicLong()).addAndGet(v.get()));
            dropped[0] += w.dropped;
            if (index > 0) {
                System.out.println("INTERVAL " + Json.write(m));
                System.out.flush();
            }
        }

        /** Records one finished request into the window current at its end. */
        void record(long nanos, int outcome, int status) {
            synchronized (this) {
                Window w = window;
                w.latencies.add(nanos);
                if (nanos > stallMillis * 1_000_000L) {
                    w.outcomes.stalls.incrementAndGet();
                }
                switch (outcome) {
                    case 0 -> w.outcomes.ok.incrementAndGet();
                    case 1 -> w.outcomes.status(status);
                    case 2 -> w.outcomes.body.incrementAndGet();
                    case 3 -> w.outcomes.io.incrementAndGet();
                    default -> w.outcomes.connect.incrementAndGet();
                }
            }
        }

        void one(long seq, long scheduled) {
            Http http = idle.poll();
            try {
                if (http == null) {
                    try {
                        http = new Http(factory.host, factory.port, (int) (stallMillis * 4), false);
                    } catch (IOException e) {
                        record(System.nanoTime() - scheduled, 4, 0);
                        return;
                    }
                }
                http.exchange(factory.request(seq % users, seq / users));
                long now = System.nanoTime();
                ResponseParser p = http.parser;
                if (p.status < 200 || p.status > 299) {
                    record(now - scheduled, 1, p.status);
                } else if ((expectTokens > 0 && p.tokens != expectTokens) || p.errorEvent) {
                    record(now - scheduled, 2, p.status);
                } else {
                    record(now - scheduled, 0, p.status);
                }
                if (p.close) {
                    http.close();
                } else {
                    idle.add(http);
                }
                http = null;
            } catch (IOException e) {
                record(System.nanoTime() - scheduled, 3, 0);
            } finally {
                if (http != null) {
                    http.close();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // turns: conversations growing to T turns, latency and prompt tokens per turn

    static final class Turns {
        static final Pattern PROMPT_TOKENS = Pattern.compile("\"promptTokens\"\\s*:\\s*(\\d+)");
        final RequestFactory factory;
        final int users;
        final int turns;
        final int window;
        final int earlyFrom;
        final int expectTokens;
        final long stallMillis;
        final Outcomes outcomes = new Outcomes();
        Http http;

        Turns(Options o) {
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
        Map<String, Object> run() throws Exception {
            http = new Http(factory.host, factory.port, (int) stallMillis * 4, true);
            List<Object> growth = new ArrayList<>();
            phase("grow");
            for (int t = 1; t <= turns - window; t++) {
                Longs l = new Longs();
                double prompt = 0;
                for (int u = 0; u < users; u++) {
                    long[] r = send(u, t);
                    if (r[0] >= 0) {
                        l.add(r[0]);
                        prompt += r[1];
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("turn", t);
                m.put("mean_us", l.n == 0 ? null : l.summary().get("mean"));
                m.put("prompt_tokens", l.n == 0 ? null : (Object) round(prompt / l.n));
                growth.add(m);
            }
            for (int t = 1; t < earlyFrom; t++) {
                for (int u = 0; u < users; u++) {
                    send(users + u, t);
                }
            }
            phase("measure");
            Longs early = new Longs();
            Longs late = new Longs();
            double earlyPrompt = 0;
            double latePrompt = 0;
            for (int k = 0; k < window; k++) {
                for (int u = 0; u < users; u++) {
                    long[] r = send(u, turns - window + 1 + k);
                    if (r[0] >= 0) {
                        late.add(r[0]);
                        latePrompt += r[1];
                    }
                    r = send(users + u, earlyFrom + k);
                    if (r[0] >= 0) {
                        early.add(r[0]);
                        earlyPrompt += r[1];
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
                    "prompt_tokens", early.n == 0 ? 0 : round(earlyPrompt / early.n)));
            r.put("late", Map.of("from", turns - window + 1, "to", turns, "latency_us", late.summary(),
                    "prompt_tokens", late.n == 0 ? 0 : round(latePrompt / late.n)));
            r.put("growth", growth);
            return r;
        }

        /** One turn; returns {latency ns or -1, prompt tokens}. */
        long[] send(long user, long turn) throws IOException {
            if (http == null) {
                http = new Http(factory.host, factory.port, (int) stallMillis * 4, true);
            }
            try {
                long started = http.exchange(factory.request(user, turn));
                long latency = System.nanoTime() - started;
                ResponseParser p = http.parser;
                Matcher m = PROMPT_TOKENS.matcher(p.captured);
                long prompt = m.find() ? Long.parseLong(m.group(1)) : 0;
                if (p.close) {
                    http.close();
                    http = null;
                }
                if (p.status < 200 || p.status > 299) {
                    outcomes.status(p.status);
                    return new long[] {-1, 0};
                }
                if (expectTokens > 0 && p.tokens != expectTokens) {
                    outcomes.body.incrementAndGet();
                    return new long[] {-1, 0};
                }
                outcomes.ok.incrementAndGet();
                return new long[] {latency, prompt};
            } catch (IOException e) {
                outcomes.io.incrementAndGet();
                http.close();
                http = null;
                return new long[] {-1, 0};
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Minimal JSON writer

    static final class Json {
        static String write(Object o) {
            StringBuilder b = new StringBuilder();
            write(b, o);
            return b.toString();
        }

        static void write(StringBuilder b, Object o) {
            if (o == null) {
                b.append("null");
            } else if (o instanceof Map<?, ?> m) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            } else if (o instanceof List<?> l) {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(b, l.get(i));
                }
                b.append(']');
            } else if (o instanceof Double d) {
                b.append(d.isNaN() || d.isInfinite() ? "null" : (d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d)));
            } else if (o instanceof Number || o instanceof Boolean) {
                b.append(o);
            } else {
                string(b, o.toString());
            }
        }

        static void string(StringBuilder b, String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
    }
}
