package driver;

import json.JsonWriter;
import java.util.Map;

/**
 * The driver's stdout lines, read by the orchestrator to sample the servers at the right moments:
 * {@code PHASE name}, {@code PLATEAU open=N peak=N}, {@code INTERVAL {json}} and the final {@code RESULT {json}}.
 * Each line is flushed at once; {@code System.out} serializes concurrent callers.
 */
public final class Protocol {
    private Protocol() {
    }

    static void phase(String name) {
        line("PHASE " + name);
    }

    static void plateau(int open, int peak) {
        line("PLATEAU open=" + open + " peak=" + peak);
    }

    static void interval(Map<String, Object> m) {
        line("INTERVAL " + JsonWriter.write(m));
    }

    public static void result(Map<String, Object> m) {
        line("RESULT " + JsonWriter.write(m));
    }

    private static void line(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
