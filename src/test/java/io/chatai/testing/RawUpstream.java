package io.chatai.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 upstream that answers every request with a 200 and the given body in framings
 * Helidon's own server never produces: a body that ends where the connection closes (no length, no
 * chunks: legal HTTP/1.1, used by several OpenAI-compatible servers), a chunked body cut off mid-way,
 * a reset, or bytes that are no HTTP at all. Thread-safe.
 */
public final class RawUpstream implements AutoCloseable {
    /** How the answer is framed on the wire. */
    public enum Framing {
        /** {@code Connection: close}, no {@code Content-Length}: the body ends when the connection closes. */
        CLOSE_DELIMITED,
        /** Chunked, and the connection closes without the last (empty) chunk. */
        CHUNKED_CUT,
        /** Chunked, then the connection is reset (RST) instead of finished. */
        RESET,
        /** A chunk size that is no hexadecimal number, in the middle of the body. */
        BAD_CHUNK_SIZE,
        /** No status line at all: the bytes of something that is not an HTTP server. */
        NOT_HTTP
    }

    private final ServerSocket server;
    private final Framing framing;
    private final String contentType;
    private final byte[] body;
    private final AtomicInteger requests = new AtomicInteger();

    public RawUpstream(Framing framing, String contentType, String body) {
        this.framing = framing;
        this.contentType = contentType;
        this.body = body.getBytes(StandardCharsets.UTF_8);
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread.ofVirtual().start(this::serve);
    }

    /** A base URL reaching this upstream; every path gets the same answer. */
    public String origin() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int requests() {
        return requests.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> answer(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        try (socket) {
            readRequest(socket.getInputStream());
            requests.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            switch (framing) {
                case CLOSE_DELIMITED -> {
                    out.write(head("Connection: close"));
                    out.write(body);
                }
                case CHUNKED_CUT, RESET -> {
                    out.write(head("Transfer-Encoding: chunked"));
                    out.write(chunk(body));
                    if (framing == Framing.RESET) {
                        out.flush();
                        socket.setSoLinger(true, 0); // closing now sends RST
                    }
                }
                case BAD_CHUNK_SIZE -> {
                    out.write(head("Transfer-Encoding: chunked"));
                    out.write(chunk(body));
                    out.write("zz\r\nnot a chunk\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                case NOT_HTTP -> out.write("SSH-2.0-OpenSSH_9.6\r\nProtocol mismatch.\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException e) {
            // the client left first
        }
    }

    private byte[] head(String framingHeader) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n" + framingHeader + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size.length + data.length + 2];
        System.arraycopy(size, 0, out, 0, size.length);
        System.arraycopy(data, 0, out, size.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /** Reads the request's headers and its Content-Length body, so the client never sees a reset while sending. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        in.readNBytes(length);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
