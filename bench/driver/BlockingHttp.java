package driver;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One blocking HTTP/1.1 keep-alive connection for the thread-per-request modes (virtual threads), with the
 * parser of its current response. Used by one thread at a time.
 */
final class BlockingHttp implements Closeable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final byte[] buf = new byte[4 * 1024];
    final ResponseParser parser;

    BlockingHttp(String host, int port, int timeoutMillis, boolean capture) throws IOException {
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
