package io.chatai.core;

import java.util.regex.Pattern;

/**
 * What went wrong, in words a client or an admin may read: exception messages with the Java class names taken out.
 * JDK and library messages quote them ("java.net.SocketException: Connection reset"), and nobody outside must read
 * the server's insides. Stateless.
 */
public final class FailureText {
    /** A qualified class name (packages in lower case, then a capital), or a simple name ending in Exception or Error. */
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:[.$][A-Z][\\w$]*)*:?|\\b[A-Z][\\w$]*(?:Exception|Error)\\b:?");

    private FailureText() {
    }

    /** The message without Java class names (null stays null). */
    public static String withoutJavaNames(String message) {
        if (message == null) {
            return null;
        }
        return JAVA_NAME.matcher(message).replaceAll("").replaceAll("\\s{2,}", " ").strip();
    }

    /** The innermost readable message along the exception and its causes, without Java class names; null if none. */
    public static String deepestMessage(Throwable thrown) {
        String found = null;
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = withoutJavaNames(t.getMessage());
            if (message != null && !message.isBlank()) {
                found = message;
            }
        }
        return found;
    }
}
