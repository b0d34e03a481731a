import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast fake of OpenAI's {@code POST /v1/chat/completions} for benchmarks, on blocking sockets with one
 * virtual thread per connection (HTTP/1.1 keep-alive, Content-Length or chunked request bodies), so it
 * answers tens of thousands of small requests per second and holds 10,000+ paced streams on a few MB.
 *
 * <p>Answers JSON, or SSE ({@code Transfer-Encoding: chunked}, one chunk per event, each flushed) when the
 * body has {@code "stream": true}: a role chunk and the first content chunk at once, then CHUNKS-1 more
 * content chunks GAP_MS apart, a finish chunk, a usage chunk and {@code data: [DONE]}. Every content delta
 * is the word {@code "lorem "}, so a load driver finds the first token by that marker whichever proxy
 * re-encoded the events. {@code usage.prompt_tokens} is the request body's length / 4 (a rough count of
 * what was sent), {@code completion_tokens} the number of chunks.
 *
 * <p>Pacing is per request, from the model name, so one fake serves every scenario through every proxy
 * (the model is the one field every proxy passes through untouched): {@code fake-t20-g500-n20} waits 20 ms
 * before the first byte, sends 20 content chunks 500 ms apart. Missing parts, or any other model name,
 * use the command-line defaults.
 *
 * <pre>java bench/FakeUpstream.java PORT [TTFB_MS] [GAP_MS] [CHUNKS]     (defaults 0 0 6)</pre>
 *
 * Any other path or method gets a 404 in OpenAI's error shape; {@code GET /health} answers 200.
 * Prints one line ({@code fake upstream on http://127.0.0.1:PORT/v1 ...}) once it accepts connections.
 */
public class FakeUpstream {
    static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    static final Pattern PARAM = Pattern.compile("-([tgn])(\\d+)");
    static final byte[] CRLF = {'\r', '\n'};
    static final AtomicInteger OPEN_STREAMS = new AtomicInteger();
    static final AtomicLong REQUESTS = new AtomicLong();

    final long defaultTtfb;
    final long defaultGap;
    final int defaultChunks;

    FakeUpstream(long ttfb, long gap, int chunks) {
        this.defaultTtfb = ttfb;
        this.defaultGap = gap;
        this.defaultChunks = chunks;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java bench/FakeUpstream.java PORT [TTFB_MS] [GAP_MS] [CHUNKS]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long ttfb = args.length > 1 ? Long.parseLong(args[1]) : 0;
        long gap = args.length > 2 ? Long.parseLong(args[2]) : 0;
        int chunks = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        FakeUpstream fake = new FakeUpstream(ttfb, gap, chunks);
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        // The kernel caps the backlog at net.core.somaxconn; ask for plenty so 10,000 streams opening
        // within a few seconds are not refused.
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 65535);
        System.out.println("fake upstream on http://127.0.0.1:" + server.getLocalPort() + "/v1 (ttfb " + ttfb
                + " ms, gap " + gap + " ms, " + chunks + " chunks; per request: model fake-t<ms>-g<ms>-n<chunks>)");
        System.out.flush();
        Thread acceptor = Thread.ofPlatform().name("accept").start(() -> {
            while (true) {
                try {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    Thread.ofVirtual().start(() -> fake.serve(socket));
                } catch (IOException e) {
                    System.err.println("accept: " + e);
                }
            }
        });
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void serve(Socket socket) {
        try (socket) {
            Reader in = new Reader(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 4 * 1024);
            StringBuilder line = new StringBuilder(256);
            while (true) {
                String requestLine = readLine(in, line);
                if (requestLine == null) {
                    return; // the client closed a keep-alive connection
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                long contentLength = 0;
                boolean chunked = false;
                boolean close = requestLine.endsWith("HTTP/1.0");
                String header;
                while ((header = readLine(in, line)) != null && !header.isEmpty()) {
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = header.substring(0, colon).trim();
                    String value = header.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("content-length")) {
                        contentLength = Long.parseLong(value);
                    } else if (name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase().contains("chunked")) {
                        chunked = true;
                    } else if (name.equalsIgnoreCase("connection")) {
                        close = value.equalsIgnoreCase("close");
                    }
                }
                if (header == null) {
                    return;
                }
                byte[] body = chunked ? readChunked(in, line) : in.readNBytes((int) contentLength);
                REQUESTS.incrementAndGet();
                int space = requestLine.indexOf(' ');
                String method = requestLine.substring(0, Math.max(space, 0));
                String target = requestLine.substring(space + 1, requestLine.lastIndexOf(' '));
                if (method.equals("GET") && target.equals("/health")) {
                    respond(out, 200, "application/json", "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII), close);
                } else if (!method.equals("POST") || !target.endsWith("/chat/completions")) {
                    respond(out, 404, "application/json", ("{\"error\":{\"message\":\"no route " + method + " " + target
                            + "\",\"type\":\"invalid_request_error\",\"code\":\"not_found\"}}").getBytes(StandardCharsets.UTF_8), close);
                } else {
                    complete(out, body, close);
                }
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to do
        }
    }

    void complete(OutputStream out, byte[] body, boolean close) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        Matcher model = MODEL.matcher(text);
        String modelName = model.find() ? model.group(1) : "fake";
        long ttfb = defaultTtfb;
        long gap = defaultGap;
        int chunks = defaultChunks;
        if (modelName.startsWith("fake-")) {
            Matcher param = PARAM.matcher(modelName);
            while (param.find()) {
                long value = Long.parseLong(param.group(2));
                switch (param.group(1)) {
                    case "t" -> ttfb = value;
                    case "g" -> gap = value;
                    default -> chunks = (int) Math.max(1, value);
                }
            }
        }
        int promptTokens = Math.max(1, body.length / 4);
        sleep(ttfb);
        if (!STREAM.matcher(text).find()) {
            String content = "lorem ".repeat(chunks);
            byte[] json = ("{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\""
                    + modelName + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content
                    + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":"
                    + chunks + ",\"total_tokens\":" + (promptTokens + chunks) + "}}").getBytes(StandardCharsets.UTF_8);
            respond(out, 200, "application/json", json, close);
            return;
        }
        String prefix = "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                + modelName + "\",\"choices\":";
        byte[] role = (prefix + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] delta = (prefix + "[{\"index\":0,\"delta\":{\"content\":\"lorem \"},\"finish_reason\":null}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = (prefix + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + prefix + "[],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + chunks
                + ",\"total_tokens\":" + (promptTokens + chunks) + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        OPEN_STREAMS.incrementAndGet();
        try {
            chunk(out, role, false);
            for (int i = 0; i < chunks; i++) {
                if (i > 0) {
                    sleep(gap);
                }
                chunk(out, delta, true);
            }
            chunk(out, tail, false);
            out.write('0');
            out.write(CRLF);
            out.write(CRLF);
            out.flush();
        } finally {
            OPEN_STREAMS.decrementAndGet();
        }
    }

    static void chunk(OutputStream out, byte[] data, boolean flush) throws IOException {
        out.write(Integer.toHexString(data.length).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.write(data);
        out.write(CRLF);
        if (flush) {
            out.flush();
        }
    }

    static void respond(OutputStream out, int status, String type, byte[] body, boolean close) throws IOException {
        String reason = status == 200 ? "OK" : "Not Found";
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
                + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** One CRLF- (or LF-) terminated ASCII line without its terminator; null at end of stream before any byte. */
    static String readLine(Reader in, StringBuilder line) throws IOException {
        line.setLength(0);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            if (line.length() > 64 * 1024) {
                throw new IOException("header line too long");
            }
            line.append((char) b);
        }
        if (line.length() == 0) {
            return null;
        }
        throw new EOFException("end of stream inside a line");
    }

    static byte[] readChunked(Reader in, StringBuilder line) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            String size = readLine(in, line);
            if (size == null) {
                throw new EOFException("end of stream inside a chunked body");
            }
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
            if (length == 0) {
                String trailer;
                while ((trailer = readLine(in, line)) != null && !trailer.isEmpty()) {
                    // ignore trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            readLine(in, line);
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

    /** An unsynchronized buffered reader over a socket's input (one connection, one thread). */
    static final class Reader {
        private final InputStream raw;
        private final byte[] buf = new byte[4 * 1024];
        private int pos;
        private int limit;

        Reader(InputStream raw) {
            this.raw = raw;
        }

        int read() throws IOException {
            if (pos == limit) {
                int n = raw.read(buf, 0, buf.length);
                if (n <= 0) {
                    return -1;
                }
                pos = 0;
                limit = n;
            }
            return buf[pos++] & 0xff;
        }

        byte[] readNBytes(int length) throws IOException {
            byte[] out = new byte[length];
            int have = Math.min(length, limit - pos);
            System.arraycopy(buf, pos, out, 0, have);
            pos += have;
            while (have < length) {
                int n = raw.read(out, have, length - have);
                if (n <= 0) {
                    throw new EOFException("end of stream inside a body");
                }
                have += n;
            }
            return out;
        }
    }
}
