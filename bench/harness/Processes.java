package harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Supervises the peers: starts each with its log in the run directory, waits until it answers (failing fast
 * when one exits), and stops them all (SIGTERM, then SIGKILL after 20 s), deleting ChatAI's data unless kept.
 * {@link #stopAll} may run twice (normal end and shutdown hook); the list is guarded by its own lock.
 */
public final class Processes {
    private final Path runDir;
    private final boolean keepData;
    private final List<Proc> procs = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public Processes(Path runDir, boolean keepData) {
        this.runDir = runDir;
        this.keepData = keepData;
    }

    Proc start(Peer peer, int port, List<String> cmd, Map<String, String> env, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(runDir.resolve(peer.id() + ".log").toFile());
        pb.environment().putAll(env);
        Proc p = new Proc(peer, pb.start(), port);
        synchronized (procs) {
            procs.add(p);
        }
        return p;
    }

    public void stopAll() {
        List<Proc> list;
        synchronized (procs) {
            list = new ArrayList<>(procs);
            procs.clear();
        }
        for (Proc p : list) {
            if (p.process().isAlive()) {
                p.process().destroy(); // SIGTERM: nginx fast shutdown, ChatAI graceful stop
            }
        }
        for (Proc p : list) {
            try {
                if (!p.process().waitFor(20, TimeUnit.SECONDS)) {
                    p.process().descendants().forEach(ProcessHandle::destroyForcibly);
                    p.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!list.isEmpty() && !keepData) {
            deleteTree(runDir.resolve("chatai-data"));
        }
    }

    /** Polls the URL (GET, or POST of the body) until it answers 200; fails when a peer exits or the time is up. */
    void waitHttp(String what, String url, String postBody, int seconds, String... headers) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            List<Proc> list;
            synchronized (procs) {
                list = new ArrayList<>(procs);
            }
            for (Proc p : list) {
                if (!p.process().isAlive()) {
                    throw new IllegalStateException(p.name() + " exited (code " + p.process().exitValue() + "); see " + runDir.resolve(p.name() + ".log"));
                }
            }
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
                if (headers.length > 0) {
                    b.headers(headers);
                }
                if (postBody != null) {
                    b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(postBody));
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(200);
        }
        throw new IllegalStateException(what + " did not answer at " + url + " within " + seconds + " s: " + last);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs a short command and returns its output (stderr included), or "?" when it cannot run. */
    static String command(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return s;
        } catch (Exception e) {
            return "?";
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    // leave it
                }
            });
        } catch (IOException e) {
            // leave it
        }
    }
}
