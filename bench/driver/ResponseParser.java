package driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * An incremental HTTP/1.1 response parser: status line, headers, then a Content-Length, chunked or
 * to-end-of-connection body, whose bytes go through a {@link BodyScan}. Fed whatever each read returned; one
 * per connection, reset per response; not thread-safe.
 */
final class ResponseParser {
    private static final int STATUS = 0, HEADER = 1, BODY = 2, CHUNK_SIZE = 3, CHUNK_DATA = 4, CHUNK_END = 5, TRAILER = 6,
            DONE = 7, BODY_TO_EOF = 8;
    private byte[] line = new byte[256]; // grows up to 64 KB for a long header line
    private int lineLength;
    private int state = STATUS;
    private long remaining;
    private boolean chunked;
    private boolean lengthKnown;
    int status;
    boolean close;
    final BodyScan scan;

    ResponseParser(boolean capture) {
        scan = new BodyScan(capture);
    }

    void reset() {
        state = STATUS;
        lineLength = 0;
        status = 0;
        remaining = 0;
        chunked = false;
        close = false;
        lengthKnown = false;
        scan.reset();
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
                    scan.scan(buf, i, n, now);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == BODY ? DONE : CHUNK_END;
                    }
                }
                case BODY_TO_EOF -> {
                    scan.scan(buf, i, end - i, now);
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
            case HEADER -> onHeader(l);
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

    private void onHeader(int l) {
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
