package driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's command-line options: {@code --name value} pairs, repeatable {@code -H "Name: value"} headers
 * and the {@code --stream} flag. Filled once from the arguments; a mode may copy or adjust it before use.
 */
public final class LoadOptions {
    final Map<String, String> values = new LinkedHashMap<>();
    final List<String> headers = new ArrayList<>();

    public LoadOptions(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-H") || a.equals("--header")) {
                headers.add(args[++i]);
            } else if (a.equals("--stream")) {
                values.put("stream", "true");
            } else if (a.startsWith("-")) {
                String name = a.replaceFirst("^-+", "");
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
        }
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    long getLong(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
    }

    double getDouble(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }
}
