package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    @Test
    void should_read_events_with_names_multi_line_data_and_comments() throws IOException {
        String body = ": ping\n\nevent: message_start\ndata: {\"a\":1}\n\ndata: line1\r\ndata: line2\r\n\r\ndata:no-space\n\n";
        SseReader reader = new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.next()).isEqualTo(new SseReader.Event("message_start", "{\"a\":1}"));
        assertThat(reader.next()).isEqualTo(new SseReader.Event(null, "line1\nline2"));
        assertThat(reader.next()).isEqualTo(new SseReader.Event(null, "no-space"));
        assertThat(reader.next()).isNull();
    }

    @Test
    void should_decode_a_character_split_across_reads() throws IOException {
        byte[] bytes = "data: 😀é\n\n".getBytes(StandardCharsets.UTF_8);
        InputStream oneByteAtATime = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };

        assertThat(new SseReader(oneByteAtATime).next().data()).isEqualTo("😀é");
    }

    @Test
    void should_return_a_last_event_without_a_trailing_blank_line() throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream("data: tail".getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.next().data()).isEqualTo("tail");
        assertThat(reader.next()).isNull();
    }

    @Test
    void should_stop_at_a_line_that_never_ends() {
        SseReader reader = new SseReader(endless("data: {\"text\": \"", "a"));

        assertThatThrownBy(reader::next).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.error()).isInstanceOf(UpstreamError.LimitExceeded.class));
    }

    @Test
    void should_stop_at_data_lines_that_never_make_an_event() {
        SseReader reader = new SseReader(endless("", "data: more and more\n"));

        assertThatThrownBy(reader::next).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.error()).isInstanceOf(UpstreamError.LimitExceeded.class));
    }

    /** The head, then the unit again and again, without end. */
    private static InputStream endless(String head, String unit) {
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        byte[] repeated = unit.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            long position;

            @Override
            public int read() {
                long at = position++;
                return (at < start.length ? start[(int) at] : repeated[(int) ((at - start.length) % repeated.length)]) & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
    }
}
