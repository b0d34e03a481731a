package io.chatai.preset;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Fills a system prompt's variables by plain text substitution in one pass: {@code {{userId}}},
 * {@code {{groupId}}} (empty in a private chat), {@code {{date}}}, {@code {{time}}}, {@code {{datetime}}}
 * in the server's time zone. Nothing is evaluated, unknown variables stay as written, and a substituted
 * value is never scanned again (a user id of "{{date}}" stays literal). Stateless.
 */
public final class PromptTemplate {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private PromptTemplate() {
    }

    public static String render(String template, String userId, String groupId, ZonedDateTime now) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("{{", i);
            if (open < 0) {
                break;
            }
            int close = template.indexOf("}}", open + 2);
            if (close < 0) {
                break;
            }
            String value = switch (template.substring(open + 2, close)) {
                case "userId" -> userId;
                case "groupId" -> groupId == null ? "" : groupId;
                case "date" -> DATE.format(now);
                case "time" -> TIME.format(now);
                case "datetime" -> DATETIME.format(now);
                default -> null;
            };
            if (value == null) {
                out.append(template, i, open + 2); // not a variable: keep the braces, rescan after them
                i = open + 2;
            } else {
                out.append(template, i, open).append(value);
                i = close + 2;
            }
        }
        return out.append(template, i, template.length()).toString();
    }
}
