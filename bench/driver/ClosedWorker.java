package driver;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One selector thread of the closed loop: drives its share of the connections (connect, write, read, parse,
 * send the next request), counts stalls, reconnects after errors, and at the end drains the measured window's
 * requests. Its counters are its own and read by {@link ClosedLoop} only after the thread has ended.
 */
final class ClosedWorker implements Runnable {
    /** One keep-alive connection and its request in flight. */
    private static final class Conn {
        final int index;
        final ResponseParser parser = new ResponseParser(false);
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        long turn;
        long started;
        boolean inFlight;
        boolean stallCounted;
        long reconnectAt;

        Conn(int index) {
            this.index = index;
        }
    }

    private final ClosedLoop loop;
    private final List<Conn> conns = new ArrayList<>();
    private final byte[] buf = new byte[64 * 1024];
    private final ByteBuffer in = ByteBuffer.wrap(buf);
    private Selector selector;
    final Latencies latencies = new Latencies();
    final Latencies ttft = new Latencies();
    long stalls;
    long requests;
    long bytes;
    long unfinished;

    ClosedWorker(ClosedLoop loop) {
        this.loop = loop;
    }

    void add(int connection) {
        conns.add(new Conn(connection));
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
                    ready(k, (Conn) k.attachment(), now);
                }
                if (now >= nextCheck) {
                    nextCheck = now + 50_000_000L;
                    checkStallsAndReconnect(now);
                }
                if (loop.stopping) {
                    if (drainDeadline == Long.MAX_VALUE) {
                        drainDeadline = now + loop.stallNanos + 1_000_000_000L;
                    }
                    boolean busy = false;
                    for (Conn c : conns) {
                        busy |= c.inFlight && c.started < loop.measureEnd;
                    }
                    if (!busy || now > drainDeadline) {
                        for (Conn c : conns) {
                            if (c.inFlight && loop.measured(c.started)) {
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
            throw new UncheckedIOException(e);
        }
    }

    private void ready(SelectionKey k, Conn c, long now) {
        try {
            if (k.isConnectable()) {
                try {
                    c.channel.finishConnect();
                } catch (IOException e) {
                    loop.outcomes.connect.incrementAndGet();
                    close(c);
                    c.reconnectAt = now + 100_000_000L;
                    return;
                }
                k.interestOps(0);
                send(c);
                return;
            }
            if (k.isWritable()) {
                write(c);
            }
            if (k.isValid() && k.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            failed(c, now);
        }
    }

    private void checkStallsAndReconnect(long now) {
        for (Conn c : conns) {
            if (c.inFlight && !c.stallCounted && now - c.started > loop.stallNanos) {
                c.stallCounted = true;
                if (loop.measured(c.started)) {
                    stalls++;
                }
            }
            if (c.channel == null && c.reconnectAt != 0 && now >= c.reconnectAt && !loop.stopping) {
                connect(c);
            }
        }
    }

    private void connect(Conn c) {
        try {
            c.reconnectAt = 0;
            c.channel = SocketChannel.open();
            c.channel.configureBlocking(false);
            c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = c.channel.connect(new InetSocketAddress(loop.factory.host, loop.factory.port));
            c.key = c.channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, c);
            if (connected) {
                send(c);
            }
        } catch (IOException e) {
            loop.outcomes.connect.incrementAndGet();
            close(c);
            c.reconnectAt = System.nanoTime() + 100_000_000L;
        }
    }

    private void send(Conn c) throws IOException {
        if (loop.stopping) {
            c.key.interestOps(0);
            return;
        }
        long user = c.index + (long) loop.connections * (c.turn % loop.usersPerConnection);
        c.out = ByteBuffer.wrap(loop.factory.request(user, c.turn));
        c.turn++;
        c.parser.reset();
        c.inFlight = true;
        c.stallCounted = false;
        c.started = System.nanoTime();
        write(c);
    }

    private void write(Conn c) throws IOException {
        c.channel.write(c.out);
        c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void read(Conn c) throws IOException {
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

    private void complete(Conn c, long now) {
        c.inFlight = false;
        ResponseParser p = c.parser;
        if (!loop.measured(c.started)) {
            return;
        }
        requests++;
        latencies.add(now - c.started);
        if (p.scan.firstTokenNanos != 0) {
            ttft.add(p.scan.firstTokenNanos - c.started);
        }
        loop.outcomes.count(Outcome.of(p, loop.expectTokens), p.status);
    }

    private void failed(Conn c, long now) {
        if (c.inFlight && loop.measured(c.started)) {
            requests++;
            loop.outcomes.io.incrementAndGet();
        }
        c.inFlight = false;
        close(c);
        c.reconnectAt = now + 10_000_000L;
    }

    private void close(Conn c) {
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
