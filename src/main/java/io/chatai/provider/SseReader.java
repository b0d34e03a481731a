package io.chatai.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads Server-Sent Events from an upstream body: {@code event:} and {@code data:} fields, comments
 * skipped, an event dispatched at each blank line. Lines are decoded as UTF-8 only once complete, so a
 * character split across network reads arrives whole. One line, and one event's data, are bounded
 * ({@link #MAX_LINE}), so a hostile or broken upstream (a line that never ends, data lines that never
 * make an event) cannot exhaust memory: past the bound the call ends as {@link UpstreamError.LimitExceeded}.
 * Not thread-safe (one per response).
 */
public final class SseReader {
    /** 4 MiB: far above any real chunk, small enough that a call's buffers stay a few megabytes. */
    static final int MAX_LINE = 4 << 20;

    private final InputStream in;
    private final byte[] buffer = new byte[2048]; // held for a whole stream; chunks are a few hundred bytes
    private int position;
    private int limit;
    private byte[] line = new byte[1024];

    public SseReader(InputStream in) {
        this.in = in;
    }

    /** One event: its {@code event:} name (null when absent) and its data lines joined by '\n'. */
    public record Event(String name, String data) {
    }

    /** The next event with data, or null at the end of the body. */
    public Event next() throws IOException {
        String name = null;
        StringBuilder data = null;
        while (true) {
            String text = readLine();
            if (text == null) {
                return data == null ? null : new Event(name, data.toString());
            }
            if (text.isEmpty()) {
                if (data != null) {
                    return new Event(name, data.toString());
                }
                name = null;
                continue;
            }
            if (text.charAt(0) == ':') {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (!value.isEmpty() && value.charAt(0) == ' ') {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                if (data.length() > MAX_LINE) {
                    throw tooLong("one event's data is longer than " + MAX_LINE + " characters");
                }
            } else if (field.equals("event")) {
                name = value;
            }
        }
    }

    private String readLine() throws IOException {
        int length = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return length == 0 ? null : decode(length);
                }
            }
            byte b = buffer[position++];
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return decode(length);
            }
            if (length == line.length) {
                if (length >= MAX_LINE) {
                    throw tooLong("one event line is longer than " + MAX_LINE + " bytes");
                }
                line = Arrays.copyOf(line, length * 2);
            }
            line[length++] = b;
        }
    }

    private static UpstreamException tooLong(String what) {
        return new UpstreamException(new UpstreamError.LimitExceeded(what));
    }

    private String decode(int length) {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
