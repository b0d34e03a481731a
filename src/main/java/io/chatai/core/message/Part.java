package io.chatai.core.message;

import java.util.Objects;

/**
 * One piece of a message's content, in the order the model produced or the caller sent it: text and
 * images in user and tool messages; text, reasoning and tool calls in assistant messages. Every
 * provider's ordered blocks (Anthropic's content blocks, Gemini's parts) map onto this list one to one,
 * so nothing is reordered between a front and a provider. Immutable.
 */
public sealed interface Part {

    /** Plain text. */
    record Text(String text) implements Part {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A picture: an {@code https} URL or inline base64 bytes.
     *
     * @param detail OpenAI's {@code detail} hint ({@code auto}, {@code low}, {@code high}), or null
     */
    record Image(ImageSource source, String detail) implements Part {
        public Image {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The model asks for a tool to run.
     *
     * @param id        the call's id, which the tool result names (generated here when a provider has none)
     * @param arguments the arguments as JSON text, exactly as the model wrote them (possibly invalid JSON)
     * @param signature opaque state a provider wants back with this call (Gemini's {@code thoughtSignature}), or null
     */
    record ToolCall(String id, String name, String arguments, String signature) implements Part {
        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            arguments = arguments == null || arguments.isEmpty() ? "{}" : arguments;
        }
    }

    /**
     * The model's reasoning, with whatever opaque state its provider needs back byte for byte on the next
     * request of a tool loop. Opaque state only goes back to a provider of the same {@code origin}; the
     * text alone is never sent where a provider did not ask for it.
     *
     * @param text      the readable reasoning (Anthropic's thinking, Gemini's thought text, {@code reasoning_content}), or null
     * @param signature Anthropic's thinking {@code signature} or Gemini's {@code thoughtSignature}, or null
     * @param redacted  Anthropic's {@code redacted_thinking} data or OpenAI's {@code encrypted_content}, or null
     * @param origin    the wire format that produced the state ({@link #ANTHROPIC}, {@link #GEMINI}, {@link #OPENAI},
     *                  {@link #OPENAI_RESPONSES}), or null for plain text
     */
    record Reasoning(String text, String signature, String redacted, String origin) implements Part {
        public static final String ANTHROPIC = "anthropic";
        public static final String GEMINI = "gemini";
        public static final String OPENAI = "openai";
        public static final String OPENAI_RESPONSES = "openai-responses";

        public Reasoning {
            if (text == null && signature == null && redacted == null) {
                throw new IllegalArgumentException("reasoning needs text, a signature or redacted data");
            }
        }

        /** Plain reasoning text without opaque state. */
        public static Reasoning text(String text, String origin) {
            return new Reasoning(text, null, null, origin);
        }

        /** Whether this part carries state a provider of {@code type} can take back. */
        public boolean hasStateFor(String type) {
            return (signature != null || redacted != null) && type.equals(origin);
        }
    }
}
