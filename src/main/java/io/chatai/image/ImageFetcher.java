package io.chatai.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches an image URL once, safely: {@code http}/{@code https} only, the host resolved here and every
 * resolved address checked by {@link AddressPolicy} before connecting to exactly that address (so a DNS
 * answer cannot change between the check and the connection), redirects followed by hand (each hop
 * checked again, at most {@link #MAX_REDIRECTS}), one deadline for the whole fetch, and the body refused
 * as soon as it passes the size cap. Thread-safe; each fetch blocks its (virtual) thread.
 */
public final class ImageFetcher {
    static final int MAX_REDIRECTS = 3;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final Function<InetAddress, String> refusal;
    private final Duration timeout;
    private final int maxBytes;

    public ImageFetcher(boolean allowPrivate, Duration timeout, int maxBytes) {
        this(new AddressPolicy(allowPrivate)::refusal, timeout, maxBytes);
    }

    /** @param refusal why an address may not be fetched from, or null when it may (tests narrow the policy) */
    ImageFetcher(Function<InetAddress, String> refusal, Duration timeout, int maxBytes) {
        this.refusal = refusal;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /** The body of the URL, after at most three redirects; {@link ImageFetchException} says why not. */
    public byte[] fetch(String url) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = parse(url);
        for (int hop = 0; ; hop++) {
            Response response = get(uri, deadline);
            if (response.status >= 300 && response.status < 400 && response.location != null) {
                if (hop == MAX_REDIRECTS) {
                    throw new ImageFetchException("more than " + MAX_REDIRECTS + " redirects");
                }
                try {
                    uri = parse(uri.resolve(new URI(response.location.strip())).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new ImageFetchException("the redirect's Location is not a valid URL");
                }
                continue;
            }
            if (response.status != 200) {
                throw new ImageFetchException("the server answered HTTP " + response.status);
            }
            return response.body;
        }
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ImageFetchException("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ImageFetchException("only http and https URLs are fetched");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new ImageFetchException("the URL needs a host (and no user name or password)");
        }
        return uri;
    }

    private record Response(int status, String location, byte[] body) { }

    private Response get(URI uri, long deadline) {
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        InetAddress address = resolve(host);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), remaining(deadline));
            Socket stream = tls ? handshake(socket, host, port, deadline) : socket;
            OutputStream out = stream.getOutputStream();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            String hostHeader = host.contains(":") ? "[" + host + "]" : host;
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + hostHeader + (uri.getPort() > 0 ? ":" + port : "")
                    + "\r\nUser-Agent: chatai-server\r\nAccept: image/*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(new DeadlineInput(stream, deadline));
        } catch (SocketTimeoutException e) {
            throw new ImageFetchException("timed out after " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new ImageFetchException("could not be fetched (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Resolves the host and refuses it if any of its addresses is not allowed; the first one is used. */
    private InetAddress resolve(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ImageFetchException("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = refusal.apply(address);
            if (why != null) {
                throw new ImageFetchException("the host " + host + " resolves to " + why
                        + " (CHATAI_IMAGE_FETCH_ALLOW_PRIVATE=true allows it)");
            }
        }
        return addresses[0];
    }

    /** TLS over the socket already connected to the checked address, verifying the certificate for the host. */
    private static Socket handshake(Socket socket, String host, int port, long deadline) throws IOException {
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.contains(":") && !Character.isDigit(host.charAt(host.length() - 1))) {
            parameters.setServerNames(java.util.List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(remaining(deadline));
        tls.startHandshake();
        return tls;
    }

    private Response read(DeadlineInput in) throws IOException {
        String statusLine = in.line();
        String[] words = statusLine.split(" ", 3);
        if (words.length < 2 || !words[0].startsWith("HTTP/1.")) {
            throw new ImageFetchException("the server did not answer HTTP");
        }
        int status;
        try {
            status = Integer.parseInt(words[1]);
        } catch (NumberFormatException e) {
            throw new ImageFetchException("the server did not answer HTTP");
        }
        String location = null;
        long length = -1;
        boolean chunked = false;
        int headerBytes = statusLine.length();
        for (String line = in.line(); !line.isEmpty(); line = in.line()) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new ImageFetchException("the response headers are too large");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "location" -> location = value;
                case "content-length" -> length = parseLength(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> { }
            }
        }
        if (status != 200) {
            return new Response(status, location, null);
        }
        if (!chunked && length > maxBytes) {
            throw tooLarge();
        }
        return new Response(status, null, chunked ? chunked(in) : body(in, length));
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ImageFetchException("the server sent an invalid Content-Length");
        }
    }

    private byte[] body(DeadlineInput in, long length) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) length : 8192);
        byte[] buffer = new byte[8192];
        while (length < 0 || body.size() < length) {
            int n = in.read(buffer, length < 0 ? buffer.length : (int) Math.min(buffer.length, length - body.size()));
            if (n < 0) {
                if (length >= 0) {
                    throw new ImageFetchException("the response ended early");
                }
                break;
            }
            body.write(buffer, 0, n);
            if (body.size() > maxBytes) {
                throw tooLarge();
            }
        }
        return body.toByteArray();
    }

    private byte[] chunked(DeadlineInput in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        while (true) {
            String sizeLine = in.line();
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new ImageFetchException("the server sent a malformed chunked body");
            }
            if (size == 0) {
                return body.toByteArray();
            }
            if (size < 0 || body.size() + size > maxBytes) {
                throw tooLarge();
            }
            for (long left = size; left > 0; ) {
                int n = in.read(buffer, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new ImageFetchException("the response ended early");
                }
                body.write(buffer, 0, n);
                left -= n;
            }
            in.line(); // the CRLF after each chunk
        }
    }

    private ImageFetchException tooLarge() {
        return new ImageFetchException("the image is larger than " + maxBytes + " bytes (CHATAI_MAX_IMAGE_BYTES)");
    }

    static int remaining(long deadline) throws SocketTimeoutException {
        long millis = (deadline - System.nanoTime()) / 1_000_000;
        if (millis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /** Reads from the socket with every read bounded by what is left of the fetch's one deadline. */
    private static final class DeadlineInput {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInput(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
            this.deadline = deadline;
        }

        int read(byte[] buffer, int length) throws IOException {
            socket.setSoTimeout(remaining(deadline));
            return in.read(buffer, 0, length);
        }

        /** One header or chunk-size line without its CRLF, at most 8 KiB. */
        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                socket.setSoTimeout(remaining(deadline));
                int c = in.read();
                if (c < 0) {
                    throw new ImageFetchException("the response ended early");
                }
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                if (line.length() >= 8192) {
                    throw new ImageFetchException("the response has a line over 8 KiB");
                }
                line.append((char) c);
            }
        }
    }
}
