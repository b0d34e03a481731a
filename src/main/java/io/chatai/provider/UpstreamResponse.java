package io.chatai.provider;

import io.helidon.common.buffers.DataReader;
import io.helidon.webclient.api.HttpClientResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The open 2xx response of one upstream call, within the call's {@code timeoutMs} per wait and {@code totalTimeoutMs}. Its body reads
 * to the end however the upstream framed it: a body delimited by the upstream closing the connection
 * (legal HTTP/1.1, and what several OpenAI-compatible servers send) ends there instead of failing. A read
 * once a bound ran out ends the call ({@link UpstreamError.Timeout} or {@link UpstreamError.LimitExceeded}), and so does a whole body
 * over {@value #MAX_BODY} bytes. Closing it closes the connection when the body was not read to the end,
 * so an endless body is never drained. Used by one call's thread.
 */
public final class UpstreamResponse implements AutoCloseable {
    /** A whole non-streamed answer: far above any real one (the answer's text has its own bound). */
    static final int MAX_BODY = 4 << 20;

    private final HttpClientResponse response;
    private final CallDeadline deadline;
    private final InputStream body;

    UpstreamResponse(HttpClientResponse response, CallDeadline deadline) {
        this.response = response;
        this.deadline = deadline;
        this.body = new Body(response.inputStream(), deadline);
    }

    /** The body as it arrives; its end is the upstream's end, however framed. */
    public InputStream body() {
        return body;
    }

    /** The whole (bounded) body as UTF-8; a transport failure is classified, an empty body is a broken answer. */
    public String readBody() {
        return readBody(MAX_BODY);
    }

    /**
     * Like {@link #readBody()} with another bound, for an answer whose size grows with the request (a batch
     * of embeddings) rather than with one model's text.
     */
    public String readBody(int maxBytes) {
        try {
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new UpstreamException(new UpstreamError.LimitExceeded("the JSON body is larger than " + maxBytes + " bytes"));
            }
            if (bytes.length == 0) {
                throw new UpstreamException(new UpstreamError.BrokenStream("the body is empty"));
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw e instanceof UpstreamException upstream ? upstream
                    : new UpstreamException(UpstreamFailures.fromTransport(e, true), e);
        }
    }

    /** Closes the connection (unless the body was read to its end, when it goes back to the pool) and disarms the deadline. */
    @Override
    public void close() {
        try {
            response.close();
        } finally {
            deadline.close();
        }
    }

    /**
     * The response's stream, with the upstream closing its connection read as the end of the body, and
     * every read after the deadline (or broken by it) ending the call.
     */
    static final class Body extends InputStream {
        private final InputStream in;
        private final CallDeadline deadline;

        Body(InputStream in, CallDeadline deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (deadline.expired()) {
                throw deadline.exceeded();
            }
            deadline.waiting();
            try {
                return in.read(buffer, offset, length);
            } catch (DataReader.InsufficientDataAvailableException closedByUpstream) {
                if (deadline.expired()) {
                    throw deadline.exceeded();
                }
                // Helidon's word for "the connection closed": the end of a close-delimited body, or a cut one.
                // Either way the data so far is all there is; whether it is a whole answer is the adapter's call.
                return -1;
            } catch (IOException | RuntimeException e) {
                if (deadline.expired()) {
                    throw deadline.exceeded();
                }
                throw e;
            } finally {
                deadline.progressed();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
