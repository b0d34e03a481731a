package io.chatai.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.helidon.common.HelidonServiceLoader;
import io.helidon.logging.common.spi.LoggingProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Helidon finds {@link HelidonLogging} as its logging provider, and it sends java.util.logging records to SLF4J. */
class HelidonLoggingTest {

    @Test
    void should_be_the_logging_provider_helidon_finds() {
        // As Helidon's LogConfig looks for it; with none it prints "There is no Helidon logging implementation".
        var providers = HelidonServiceLoader.create(ServiceLoader.load(LoggingProvider.class)).asList();

        assertThat(providers).hasSize(1).first().isInstanceOf(HelidonLogging.class);
    }

    @Test
    void should_send_java_util_logging_records_to_slf4j_once_initialized() {
        String name = "io.chatai.observe.from-jul";
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
        Logger target = (Logger) LoggerFactory.getLogger(name);
        ListAppender<ILoggingEvent> received = new ListAppender<>();
        received.start();
        target.addAppender(received);
        try {
            SLF4JBridgeHandler.uninstall();
            jul.warning("before");

            new HelidonLogging().initialization();
            jul.warning("after");
        } finally {
            target.detachAppender(received);
            Logging.routeJavaUtilLogging();
        }

        assertThat(received.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("after");
    }
}
