package io.chatai.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Headers an admin configures for what this server calls (a channel's upstream, a tool server): names HTTP allows
 * and the caller does not reserve, one-line values, and values that are secrets: sent back masked ({@link Secrets#mask},
 * as reads show them) a value stands for the stored one. Stateless.
 */
public final class ConfiguredHeaders {
    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

    private ConfiguredHeaders() {
    }

    /**
     * The headers sent, checked, with masked values replaced by the stored secrets they stand for.
     *
     * @param reserved lower-case names the caller sets itself; setting one is a 400
     */
    public static Map<String, String> merge(Map<String, String> sent, Map<String, String> stored, Set<String> reserved) {
        Map<String, String> headers = new LinkedHashMap<>();
        sent.forEach((name, value) -> {
            if (!NAME.matcher(name).matches() || reserved.contains(name.toLowerCase(Locale.ROOT))) {
                throw ApiException.invalid("headers may not set '" + name + "'");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw ApiException.invalid("header value of '" + name + "' must be one line");
            }
            headers.put(name, unmasked(value, stored.get(name)));
        });
        return headers;
    }

    /** The stored secret when the masked form of it came back, else the value sent. */
    public static String unmasked(String sent, String stored) {
        return stored != null && Secrets.mask(stored).equals(sent) ? stored : sent;
    }
}
