package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic SSE body read back as named events, checked against the order Anthropic's streaming reference
 * gives (message_start; per block start, deltas of that block's kind, stop, never two open; message_delta;
 * message_stop; ping anywhere) and assembled into the message the SDKs would build. Test helper.
 */
record AnthropicEvents(List<Event> events) {
    static final ObjectMapper JSON = new ObjectMapper();

    record Event(String name, JsonNode data) {
    }

    static AnthropicEvents parse(String raw) {
        List<Event> events = new ArrayList<>();
        String name = null;
        for (String line : raw.split("\n")) {
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                try {
                    events.add(new Event(name, JSON.readTree(line.substring(6))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                name = null;
            }
        }
        return new AnthropicEvents(events);
    }

    List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /** Checks the grammar and returns the assembled message (content blocks with their deltas applied, stop reason, usage). */
    ObjectNode assemble() {
        assertThat(events).isNotEmpty();
        assertThat(events.getFirst().name()).isEqualTo("message_start");
        assertThat(events.getLast().name()).isEqualTo("message_stop");
        ObjectNode message = events.getFirst().data().path("message").deepCopy();
        ArrayNode content = message.putArray("content");
        StringBuilder json = new StringBuilder();
        int open = -1;
        boolean delta = false;
        for (Event event : events.subList(1, events.size() - 1)) {
            JsonNode data = event.data();
            assertThat(data.path("type").asText()).as("type matches the event name").isEqualTo(event.name());
            assertThat(delta).as("nothing but message_stop after message_delta").isFalse();
            switch (event.name()) {
                case "ping" -> { }
                case "content_block_start" -> {
                    assertThat(open).as("a block starts while another is open").isEqualTo(-1);
                    open = data.path("index").asInt();
                    assertThat(open).as("block indexes count up from 0").isEqualTo(content.size());
                    content.add(data.path("content_block").deepCopy());
                    json.setLength(0);
                }
                case "content_block_delta" -> {
                    assertThat(data.path("index").asInt()).isEqualTo(open);
                    ObjectNode block = (ObjectNode) content.get(open);
                    JsonNode d = data.path("delta");
                    switch (d.path("type").asText()) {
                        case "text_delta" -> {
                            assertThat(block.path("type").asText()).isEqualTo("text");
                            block.put("text", block.path("text").asText() + d.path("text").asText());
                        }
                        case "thinking_delta" -> {
                            assertThat(block.path("type").asText()).isEqualTo("thinking");
                            block.put("thinking", block.path("thinking").asText() + d.path("thinking").asText());
                        }
                        case "signature_delta" -> {
                            assertThat(block.path("type").asText()).isEqualTo("thinking");
                            block.put("signature", block.path("signature").asText() + d.path("signature").asText());
                        }
                        case "input_json_delta" -> {
                            assertThat(block.path("type").asText()).isEqualTo("tool_use");
                            json.append(d.path("partial_json").asText());
                        }
                        default -> throw new AssertionError("unknown delta " + d);
                    }
                }
                case "content_block_stop" -> {
                    assertThat(data.path("index").asInt()).isEqualTo(open);
                    ObjectNode block = (ObjectNode) content.get(open);
                    if (block.path("type").asText().equals("tool_use") && !json.isEmpty()) {
                        try {
                            block.set("input", JSON.readTree(json.toString()));
                        } catch (IOException e) {
                            throw new AssertionError("tool input is not JSON: " + json, e);
                        }
                    }
                    open = -1;
                }
                case "message_delta" -> {
                    assertThat(open).as("every block closed before message_delta").isEqualTo(-1);
                    delta = true;
                    message.set("stop_reason", data.path("delta").path("stop_reason"));
                    ObjectNode usage = message.with("usage");
                    data.path("usage").properties().forEach(e -> usage.set(e.getKey(), e.getValue()));
                }
                default -> throw new AssertionError("unexpected event " + event.name());
            }
        }
        assertThat(delta).as("a message_delta before message_stop").isTrue();
        return message;
    }
}
