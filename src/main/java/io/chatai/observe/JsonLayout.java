package io.chatai.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonGenerator;
import io.chatai.core.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one JSON object on one line: {@code ts}, {@code level}, {@code logger},
 * {@code thread}, {@code msg}, the event's key-value pairs as fields, and {@code error} with the stack
 * trace when there is one. Thread-safe (no state).
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("msg", event.getFormattedMessage());
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    json.writeFieldName(pair.key);
                    json.writeObject(pair.value);
                }
            }
            if (event.getThrowableProxy() != null) {
                json.writeStringField("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(CoreConstants.LINE_SEPARATOR).toString();
    }
}
