package io.chatai.provider;

import io.helidon.common.buffers.DataReader;
import io.helidon.webclient.api.HttpClientResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The open 2xx response of one upstream call. Its body reads to the end however the upstream framed
 * it: a body delimited by the upstream closing the connection (legal HTTP/1.1, and what several
 * OpenAI-compatible servers send) ends there instead of failing. Closing it closes the connection
 * when the body was not read to the end, so an endless body is never drained. Used by one call's thread.
 */
public final class UpstreamResponse implements AutoCloseable {
    private final HttpClientResponse response;
    private final InputStream body;

    UpstreamResponse(HttpClientResponse response) {
        this.response = response;
        this.body = new Body(response.inputStream());
    }

    /** The body as it arrives; its end is the upstream's end, however framed. */
    public InputStream body() {
        return body;
    }

    /** The whole (bounded) body as UTF-8; a transport failure is classified, an empty body is a broken answer. */
    public String readBody() {
        try {
            byte[] bytes = body.readNBytes(UpstreamHttp.MAX_BODY + 1);
            if (bytes.length > UpstreamHttp.MAX_BODY) {
                throw new UpstreamException(new UpstreamError.BrokenStream("the body is larger than " + UpstreamHttp.MAX_BODY + " bytes"));
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

    @Override
    public void close() {
        response.close();
    }

    /** The response's stream, with the upstream closing its connection read as the end of the body. */
    private static final class Body extends InputStream {
        private final InputStream in;

        Body(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (DataReader.InsufficientDataAvailableException closedByUpstream) {
                // Helidon's word for "the connection closed": the end of a close-delimited body, or a cut one.
                // Either way the data so far is all there is; whether it is a whole answer is the adapter's call.
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
