package io.chatai.tool;

import io.chatai.core.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns an MCP {@code tools/call} result into a {@link ToolResult}. Text (text parts, text resources, and
 * {@code structuredContent} as JSON when there is nothing else) is capped at {@link #MAX_TEXT_BYTES} in all, cut on
 * a character boundary with a note saying so. Up to {@link #MAX_IMAGES} images of at most {@link #MAX_IMAGE_CHARS}
 * (base64) each are kept as parts; audio, binary resources and further images are replaced by a note, so the model
 * knows they existed. Stateless.
 */
final class ToolResults {
    static final int MAX_TEXT_BYTES = 64 * 1024;
    static final int MAX_IMAGES = 4;
    /** About 3 MiB of image: what providers accept inline. */
    static final int MAX_IMAGE_CHARS = 4 * 1024 * 1024;

    private ToolResults() {
    }

    static ToolResult of(McpSchema.CallToolResult result, long durationMs) {
        boolean isError = Boolean.TRUE.equals(result.isError());
        List<ToolResult.Part> parts = new ArrayList<>();
        int images = 0;
        for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
            switch (content) {
                case McpSchema.TextContent text -> parts.add(new ToolResult.Part.Text(text.text() == null ? "" : text.text()));
                case McpSchema.ImageContent image -> {
                    if (images < MAX_IMAGES && image.data() != null && image.data().length() <= MAX_IMAGE_CHARS
                            && image.mimeType() != null && image.mimeType().startsWith("image/")) {
                        parts.add(new ToolResult.Part.Image(image.mimeType(), image.data()));
                        images++;
                    } else {
                        parts.add(new ToolResult.Part.Text("[an image (" + image.mimeType() + ") was left out: at most "
                                + MAX_IMAGES + " images of " + MAX_IMAGE_CHARS / (1024 * 1024) + " MiB are passed on]"));
                    }
                }
                case McpSchema.AudioContent audio -> parts.add(new ToolResult.Part.Text("[audio (" + audio.mimeType() + ") was left out]"));
                case McpSchema.EmbeddedResource embedded -> parts.add(new ToolResult.Part.Text(switch (embedded.resource()) {
                    case McpSchema.TextResourceContents text -> text.text() == null ? "" : text.text();
                    case McpSchema.BlobResourceContents blob -> "[binary resource " + blob.uri() + " (" + blob.mimeType() + ") was left out]";
                    case null, default -> "[an embedded resource was left out]";
                }));
                case McpSchema.ResourceLink link -> parts.add(new ToolResult.Part.Text("[resource " + link.name() + ": " + link.uri() + "]"));
                default -> parts.add(new ToolResult.Part.Text("[a part of type " + content.type() + " was left out]"));
            }
        }
        if (parts.isEmpty() && result.structuredContent() != null) {
            parts.add(new ToolResult.Part.Text(Json.writeString(result.structuredContent())));
        }
        if (parts.isEmpty() && isError) {
            parts.add(new ToolResult.Part.Text("The tool reported an error without a message."));
        }
        List<ToolResult.Part> capped = cap(parts);
        String text = capped.stream().filter(p -> p instanceof ToolResult.Part.Text)
                .map(p -> ((ToolResult.Part.Text) p).text()).collect(Collectors.joining("\n"));
        return new ToolResult(text, capped, isError, durationMs);
    }

    /** The parts with their text cut to {@link #MAX_TEXT_BYTES} in all (UTF-8), and a note when anything was cut. */
    static List<ToolResult.Part> cap(List<ToolResult.Part> parts) {
        long total = parts.stream().mapToLong(p -> p instanceof ToolResult.Part.Text t ? utf8Length(t.text()) : 0).sum();
        if (total <= MAX_TEXT_BYTES) {
            return parts;
        }
        List<ToolResult.Part> capped = new ArrayList<>();
        long left = MAX_TEXT_BYTES;
        for (ToolResult.Part part : parts) {
            if (part instanceof ToolResult.Part.Text text) {
                if (left > 0) {
                    String kept = prefix(text.text(), left);
                    // A part cut short ends the text: what follows it would read as if nothing were missing.
                    left = kept.length() < text.text().length() ? 0 : left - utf8Length(kept);
                    capped.add(new ToolResult.Part.Text(kept));
                }
            } else {
                capped.add(part);
            }
        }
        capped.add(new ToolResult.Part.Text("[The tool's result was cut to " + MAX_TEXT_BYTES / 1024 + " KiB: it returned "
                + total + " bytes of text.]"));
        return capped;
    }

    /** The longest prefix of {@code text} of at most {@code maxBytes} in UTF-8 that ends on a whole character. */
    private static String prefix(String text, long maxBytes) {
        long bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
