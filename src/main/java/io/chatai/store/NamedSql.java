package io.chatai.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL text with named parameters ({@code :name}) turned into JDBC's positional form once: the
 * {@code ?} text, and the positions of each name (a name may appear several times). Quoted literals,
 * quoted identifiers and PostgreSQL's {@code ::} casts are left alone. Immutable.
 */
record NamedSql(String text, String jdbc, String[] names, Map<String, int[]> positions) {
    /** Statements are constants or built from a few fixed pieces, so this holds all of them. */
    private static final Cache<String, NamedSql> PARSED = Caffeine.newBuilder()
            .executor(Runnable::run) // upkeep on the caller: no pool thread woken on the request path
            .maximumSize(2_000).build();

    static NamedSql of(String text) {
        return PARSED.get(text, NamedSql::parse);
    }

    int[] positionsOf(String name) {
        int[] found = positions.get(name);
        if (found == null) {
            throw new IllegalArgumentException("No parameter :" + name + " in " + text);
        }
        return found;
    }

    static NamedSql parse(String text) {
        StringBuilder jdbc = new StringBuilder(text.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                end = end < 0 ? text.length() : end + 1;
                jdbc.append(text, i, end);
                i = end;
            } else if (c == ':' && i + 1 < text.length() && text.charAt(i + 1) == ':') {
                jdbc.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < text.length() && Character.isJavaIdentifierStart(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
                    end++;
                }
                names.add(text.substring(i + 1, end));
                jdbc.append('?');
                i = end;
            } else {
                jdbc.append(c);
                i++;
            }
        }
        Map<String, List<Integer>> byName = new HashMap<>();
        for (int p = 0; p < names.size(); p++) {
            byName.computeIfAbsent(names.get(p), n -> new ArrayList<>()).add(p + 1);
        }
        Map<String, int[]> positions = new HashMap<>();
        byName.forEach((name, list) -> positions.put(name, list.stream().mapToInt(Integer::intValue).toArray()));
        return new NamedSql(text, jdbc.toString(), names.toArray(String[]::new), Map.copyOf(positions));
    }
}
