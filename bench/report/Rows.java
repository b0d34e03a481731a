package report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the result rows (the driver's RESULT maps plus the harness's measurements): numbers by path, error
 * counts and the errors cell, and the row of a target at a client count. Stateless.
 */
public final class Rows {
    private Rows() {
    }

    /** The number at the path of keys, NaN where a key or the number is missing. */
    public static Double num(Map<?, ?> m, String... keys) {
        Object o = m;
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> map)) {
                return Double.NaN;
            }
            o = map.get(k);
        }
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The value at the path of keys, null where a key is missing. */
    public static Object path(Object o, String... keys) {
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> map)) {
                return null;
            }
            o = map.get(k);
        }
        return o;
    }

    public static long errors(Map<String, Object> r) {
        Object e = r.get("errors");
        if (e instanceof Map<?, ?> m) {
            return ((Number) m.get("total")).longValue();
        }
        return e instanceof Number n ? n.longValue() : 0;
    }

    /** "0", or the total with its parts: "3 (io 2, 502×1)", unfinished requests included. */
    public static String errorsCell(Map<String, Object> r) {
        long total = errors(r);
        Object unfinished = r.get("unfinished");
        long u = unfinished instanceof Number n ? n.longValue() : 0;
        if (total == 0 && u == 0) {
            return "0";
        }
        Map<?, ?> m = (Map<?, ?>) r.get("errors");
        List<String> parts = new ArrayList<>();
        for (String k : List.of("connect", "io", "body")) {
            long v = ((Number) m.get(k)).longValue();
            if (v > 0) {
                parts.add(k + " " + v);
            }
        }
        ((Map<?, ?>) m.get("status")).forEach((k, v) -> parts.add(k + "×" + v));
        if (u > 0) {
            parts.add("unfinished " + u);
        }
        return (total + u) + " (" + String.join(", ", parts) + ")";
    }

    public static Map<String, Object> find(List<Map<String, Object>> rows, String id, int clients) {
        for (Map<String, Object> r : rows) {
            if (id.equals(r.get("target")) && ((Number) r.get("clients")).intValue() == clients) {
                return r;
            }
        }
        return null;
    }

    /** The direct fake upstream's row (of the same stream kind) at the same client count. */
    public static Map<String, Object> baseline(List<Map<String, Object>> rows, String id, int clients) {
        return find(rows, id.endsWith("-stream") ? "direct-stream" : "direct", clients);
    }
}
