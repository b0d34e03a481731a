package io.chatai.observe;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Helidon's logging provider for this server, found through {@code META-INF/services} the first time
 * Helidon starts anything: it sends {@code java.util.logging}, where Helidon writes its own records, into
 * SLF4J, so they follow {@code logback.xml} instead of going straight to stderr. Without a provider Helidon
 * prints "There is no Helidon logging implementation on classpath" on stdout. Stateless.
 */
public final class HelidonLogging implements LoggingProvider {
    @Override
    public void initialization() {
        Logging.routeJavaUtilLogging();
    }

    @Override
    public void runTime() {
        // Nothing to configure at run time: logback read its configuration at the first SLF4J call.
    }
}
