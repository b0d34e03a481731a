package driver;

import java.nio.charset.StandardCharsets;

/**
 * Scans a response body as it arrives, whatever format the target speaks (OpenAI JSON or SSE, ChatAI JSON or
 * SSE): counts the fake upstream's content tokens ("lorem"), notes a ChatAI {@code "type":"error"} event, the
 * time of the first token and the longest silence between reads, and keeps the text when asked to. One per
 * connection, reset per response; not thread-safe.
 */
final class BodyScan {
    static final byte[] TOKEN = "lorem".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ERROR_EVENT = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);

    int tokens;
    boolean errorEvent;
    long firstTokenNanos;
    long maxGapNanos;
    final StringBuilder captured; // the body, when asked for (turns mode)
    private int tokenMatch;
    private int errorMatch;
    private long lastDataNanos;

    BodyScan(boolean capture) {
        captured = capture ? new StringBuilder() : null;
    }

    void reset() {
        tokens = 0;
        tokenMatch = 0;
        errorMatch = 0;
        errorEvent = false;
        firstTokenNanos = 0;
        lastDataNanos = 0;
        maxGapNanos = 0;
        if (captured != null) {
            captured.setLength(0);
        }
    }

    void scan(byte[] buf, int off, int len, long now) {
        if (len <= 0) {
            return;
        }
        if (lastDataNanos != 0) {
            maxGapNanos = Math.max(maxGapNanos, now - lastDataNanos);
        }
        lastDataNanos = now;
        if (captured != null) {
            captured.append(new String(buf, off, len, StandardCharsets.UTF_8));
        }
        // Both patterns are matched byte by byte across reads, so a token split between two reads still counts.
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
}
