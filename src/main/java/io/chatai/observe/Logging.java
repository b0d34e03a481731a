package io.chatai.observe;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.chatai.config.Config;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Applies {@code CHATAI_LOG_FORMAT} to the console appender of {@code logback.xml} and routes JUL into SLF4J. */
public final class Logging {
    private Logging() {
    }

    public static void configure(Config.LogFormat format) {
        routeJavaUtilLogging();
        if (format != Config.LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        var root = context.getLogger("ROOT");
        var appender = root.getAppender("ASYNC") instanceof BatchingAppender batching ? batching.getAppender("STDOUT") : root.getAppender("STDOUT");
        if (appender instanceof OutputStreamAppender<ILoggingEvent> console) {
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            JsonLayout layout = new JsonLayout();
            layout.setContext(context);
            layout.start();
            encoder.setContext(context);
            encoder.setLayout(layout);
            encoder.start();
            console.stop();
            console.setEncoder(encoder);
            console.start();
        }
    }

    /** Sends every {@code java.util.logging} record to SLF4J instead of JUL's console handler; once, whoever calls first. */
    public static synchronized void routeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
