package io.chatai.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.chatai.config.Config;
import io.chatai.config.ConfigException;
import io.chatai.observe.Logging;
import io.chatai.testing.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the server does when it cannot listen where it is told to. */
class ListenFailureIT {
    @Test
    void should_refuse_to_start_and_say_what_to_do_when_its_port_is_taken() throws Exception {
        Logging.configure(Config.LogFormat.TEXT); // Helidon's JUL records into logback, as Main does
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());

            // Main.main prints a ConfigException's message ("ChatAI Server cannot start: ...") and exits with 2.
            assertThatThrownBy(() -> TestServer.start(Map.of("CHATAI_HOST", "127.0.0.1", "CHATAI_PORT", port)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + port)
                    .hasMessageContaining("set CHATAI_PORT");
        } finally {
            root.detachAppender(logs);
        }
        // The message above is all the operator sees: no stack trace of Helidon's own failure to bind before it.
        assertThat(logs.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }
}
