package io.chatai.core.message;

import java.util.ArrayList;
import java.util.List;

/** Small helpers over lists of {@link Part}s. Stateless. */
public final class Parts {
    private Parts() {
    }

    /** The text parts joined ("" when there are none). */
    public static String text(List<Part> parts) {
        if (parts.size() == 1 && parts.getFirst() instanceof Part.Text only) {
            return only.text();
        }
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    /** The reasoning text joined ("" when there is none). */
    public static String reasoningText(List<Part> parts) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Part.Reasoning r && r.text() != null) {
                text.append(r.text());
            }
        }
        return text.toString();
    }

    /** Characters of an answer as {@link CompletionBuilder#chars()} counts them: text, reasoning, signatures, tool calls. */
    public static long chars(List<Part> parts) {
        long chars = 0;
        for (Part part : parts) {
            chars += switch (part) {
                case Part.Text t -> t.text().length();
                case Part.Image i -> 0;
                case Part.ToolCall c -> length(c.name()) + length(c.arguments()) + length(c.signature());
                case Part.Reasoning r -> length(r.text()) + length(r.signature()) + length(r.redacted());
            };
        }
        return chars;
    }

    /**
     * What a tokenizer should count when the upstream reported no usage: the text, the reasoning text and
     * each tool call's name and arguments (opaque signatures are not tokens the model produced as text).
     */
    public static String countedText(List<Part> parts) {
        StringBuilder counted = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Part.Text t -> counted.append(t.text());
                case Part.Image i -> { }
                case Part.ToolCall c -> counted.append(c.name()).append(c.arguments());
                case Part.Reasoning r -> counted.append(r.text() == null ? "" : r.text());
            }
        }
        return counted.toString();
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }

    /** Whether any of the messages carries an image part. */
    public static boolean anyImage(List<ChatMessage> messages) {
        return messages.stream().anyMatch(m -> m.content().stream().anyMatch(Part.Image.class::isInstance));
    }

    public static <T extends Part> List<T> of(List<Part> parts, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Part part : parts) {
            if (type.isInstance(part)) {
                found.add(type.cast(part));
            }
        }
        return found;
    }

    /** The part's kind as the contract names it: text, image, tool call or reasoning. */
    public static String kind(Part part) {
        return switch (part) {
            case Part.Text t -> "text";
            case Part.Image i -> "image";
            case Part.ToolCall c -> "tool call";
            case Part.Reasoning r -> "reasoning";
        };
    }

    @SafeVarargs
    static List<Part> only(List<Part> parts, String where, Class<? extends Part>... allowed) {
        List<Part> copy = List.copyOf(parts);
        for (Part part : copy) {
            boolean ok = false;
            for (Class<? extends Part> type : allowed) {
                ok |= type.isInstance(part);
            }
            if (!ok) {
                throw new IllegalArgumentException(where + " cannot hold " + kind(part) + " parts");
            }
        }
        return copy;
    }
}
