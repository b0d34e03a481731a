package io.chatai.core.message;

import io.chatai.core.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles a streamed answer from its {@link StreamEvent}s, part by part, and counts its characters so a
 * caller can bound an answer that never ends. Not thread-safe: one per call.
 */
public final class CompletionBuilder {
    private final Map<Integer, Object> parts = new TreeMap<>();
    private long chars;

    /** Adds one delta; {@link StreamEvent.Done} is ignored here (the caller keeps it). */
    public void accept(StreamEvent event) {
        switch (event) {
            case StreamEvent.TextDelta delta -> {
                text(delta.part()).append(delta.text());
                chars += delta.text().length();
            }
            case StreamEvent.ReasoningDelta delta -> {
                ReasoningDraft draft = (ReasoningDraft) parts.computeIfAbsent(delta.part(), i -> new ReasoningDraft());
                draft.add(delta);
                chars += length(delta.text()) + length(delta.signature()) + length(delta.redacted());
            }
            case StreamEvent.ToolCallDelta delta -> {
                ToolCallDraft draft = (ToolCallDraft) parts.computeIfAbsent(delta.part(), i -> new ToolCallDraft());
                draft.add(delta);
                chars += length(delta.arguments()) + length(delta.name()) + length(delta.signature());
            }
            case StreamEvent.Done done -> {
            }
        }
    }

    /** Characters received so far: text, reasoning, signatures and tool arguments. */
    public long chars() {
        return chars;
    }

    /** How many parts have started (bounded by the caller: empty deltas add parts without characters). */
    public int partCount() {
        return parts.size();
    }

    /** Whether any part has started. */
    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The text parts so far, joined. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (Object part : parts.values()) {
            if (part instanceof StringBuilder t) {
                text.append(t);
            }
        }
        return text.toString();
    }

    public Completion build(FinishReason finishReason, TokenUsage usage) {
        List<Part> content = new ArrayList<>(parts.size());
        for (Object part : parts.values()) {
            switch (part) {
                case StringBuilder text -> content.add(new Part.Text(text.toString()));
                case ReasoningDraft reasoning -> content.add(reasoning.build());
                case ToolCallDraft call -> content.add(call.build());
                default -> throw new IllegalStateException("unknown draft");
            }
        }
        return new Completion(content, finishReason, usage);
    }

    private StringBuilder text(int index) {
        return (StringBuilder) parts.computeIfAbsent(index, i -> new StringBuilder());
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }

    private static final class ReasoningDraft {
        private StringBuilder text;
        private String signature;
        private StringBuilder redacted;
        private String origin;

        void add(StreamEvent.ReasoningDelta delta) {
            if (delta.text() != null) {
                (text == null ? text = new StringBuilder() : text).append(delta.text());
            }
            if (delta.signature() != null) {
                signature = signature == null ? delta.signature() : signature + delta.signature();
            }
            if (delta.redacted() != null) {
                (redacted == null ? redacted = new StringBuilder() : redacted).append(delta.redacted());
            }
            if (delta.origin() != null) {
                origin = delta.origin();
            }
        }

        Part.Reasoning build() {
            return new Part.Reasoning(text == null ? (signature == null && redacted == null ? "" : null) : text.toString(),
                    signature, redacted == null ? null : redacted.toString(), origin);
        }
    }

    private static final class ToolCallDraft {
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();
        private String signature;

        void add(StreamEvent.ToolCallDelta delta) {
            if (delta.id() != null && id == null) {
                id = delta.id();
            }
            if (delta.name() != null) {
                name = name == null ? delta.name() : name;
            }
            if (delta.arguments() != null) {
                arguments.append(delta.arguments());
            }
            if (delta.signature() != null) {
                signature = delta.signature();
            }
        }

        Part.ToolCall build() {
            return new Part.ToolCall(id == null ? Secrets.newToken("call_", 24) : id,
                    name == null ? "" : name, arguments.toString(), signature);
        }
    }
}
