import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The floor of a Java proxy on this machine: the least a relay on virtual threads and blocking sockets does for
 * one non-streamed request, and nothing else. Each client connection gets its own keep-alive connection to the
 * upstream; a request's head and body go up in one write, the answer comes back in one write. No JSON, no
 * routing, no keys, no log, no usage row: what it costs is what the JDK's socket I/O on virtual threads (the model
 * ChatAI's server and client use) costs here, to compare with nginx and with ChatAI in the same minutes.
 * Not a product and not a general proxy: Content-Length bodies only, as the bench's fake upstream answers.
 *
 * <pre>java bench/floor/RelayFloor.java PORT UPSTREAM_PORT</pre>
 */
public final class RelayFloor {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
            System.out.println("relay floor on 127.0.0.1:" + port + " -> 127.0.0.1:" + upstreamPort);
            while (true) {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client, upstreamPort));
            }
        }
    }

    private static void serve(Socket client, int upstreamPort) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            InputStream fromClient = new BufferedInputStream(client.getInputStream(), 8192);
            OutputStream toClient = client.getOutputStream();
            InputStream fromUpstream = new BufferedInputStream(upstream.getInputStream(), 8192);
            OutputStream toUpstream = upstream.getOutputStream();
            while (true) {
                Message request = Message.read(fromClient);
                if (request == null) {
                    return; // the client closed its connection
                }
                toUpstream.write(request.withHead(request.firstLine() + "\r\nHost: 127.0.0.1:" + upstreamPort
                        + "\r\nContent-Type: application/json\r\n"));
                Message answer = Message.read(fromUpstream);
                if (answer == null) {
                    return;
                }
                toClient.write(answer.withHead(answer.firstLine() + "\r\nContent-Type: application/json\r\n"));
            }
        } catch (IOException e) {
            // the peer went away: this connection ends
        }
    }

    /** One HTTP/1.1 message with a Content-Length body: its first line, and its body. */
    private record Message(String firstLine, byte[] body) {
        static Message read(InputStream in) throws IOException {
            String first = line(in);
            if (first == null) {
                return null;
            }
            long length = 0;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.regionMatches(true, 0, "content-length", 0, colon)) {
                    length = Long.parseLong(header.substring(colon + 1).strip());
                }
            }
            byte[] body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new EOFException("the body ended early");
            }
            return new Message(first, body);
        }

        /** Head and body in one array, so they leave in one write. */
        byte[] withHead(String headWithoutLength) {
            byte[] head = (headWithoutLength + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}
