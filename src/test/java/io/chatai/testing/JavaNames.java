package io.chatai.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/** Finds Java class names in text a client gets to read, where they never belong. */
public final class JavaNames {
    /** A qualified name (java.net.SocketException, io.helidon...Foo$Bar) or a simple one ending in Exception or Error. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*|\\b[A-Z][\\w$]*(?:Exception|Error)\\b");

    private JavaNames() {
    }

    public static void assertNone(String clientFacing) {
        assertThat(clientFacing).as("names a Java class").doesNotContainPattern(CLASS_NAME);
    }
}
