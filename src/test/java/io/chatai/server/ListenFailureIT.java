package io.chatai.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.config.ConfigException;
import io.chatai.testing.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the server does when it cannot listen where it is told to. */
class ListenFailureIT {
    @Test
    void should_refuse_to_start_and_say_what_to_do_when_its_port_is_taken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());

            // Main.main prints a ConfigException's message ("ChatAI Server cannot start: ...") and exits with 2.
            assertThatThrownBy(() -> TestServer.start(Map.of("CHATAI_HOST", "127.0.0.1", "CHATAI_PORT", port)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + port)
                    .hasMessageContaining("set CHATAI_PORT");
        }
    }
}
