package io.chatai.chat;

import io.chatai.channel.CallContext;
import io.chatai.channel.ModelCalls;
import io.chatai.conversation.ConversationRepository;
import io.chatai.core.ApiException;
import io.chatai.core.Cancellation;
import io.chatai.core.ErrorCode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.image.ImageIntake;
import io.chatai.image.StoredImage;
import io.chatai.preset.Preset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a text-only model gets instead of images: each image described once by the preset's caption
 * model (captions are kept with the image, by content hash, so the same bytes are never described twice,
 * whichever conversation sends them again), or a refusal when the preset says so. Thread-safe.
 */
final class ImageCaptions {
    static final String PROMPT = "Describe this image in detail for someone who cannot see it. "
            + "Transcribe any text in it. Answer with the description only.";
    private static final int MAX_CAPTION_TOKENS = 400;

    private final ModelCalls calls;
    private final ConversationRepository conversations;

    ImageCaptions(ModelCalls calls, ConversationRepository conversations) {
        this.calls = calls;
        this.conversations = conversations;
    }

    /**
     * The messages with every image replaced by its caption as text; {@code fresh} (the new message's
     * images) gains the captions written now, so the commit stores them.
     *
     * @throws ApiException {@code IMAGE_NOT_SUPPORTED} when the new message has images and the preset refuses them
     */
    List<ChatMessage> describe(List<ChatMessage> messages, List<StoredImage> fresh, Preset preset, CallContext context,
                               Cancellation cancellation) {
        if (!preset.captionsImages()) {
            if (!fresh.isEmpty()) {
                throw new ApiException(ErrorCode.IMAGE_NOT_SUPPORTED, "The model of preset '" + preset.id()
                        + "' takes no images, and the preset names no captionModel to describe them");
            }
            return replace(messages, image -> "[image]"); // history images stay out of a text-only model's sight
        }
        java.util.Set<String> freshIds = new java.util.HashSet<>();
        fresh.forEach(image -> freshIds.add(image.id()));
        Map<ImageSource, String> hashes = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (ChatMessage message : messages) {
            for (Part part : message.content()) {
                if (part instanceof Part.Image image && image.source() instanceof ImageSource.Inline inline) {
                    String id = ImageIntake.sha256(Base64.getMimeDecoder().decode(inline.base64()));
                    hashes.put(image.source(), id);
                    ids.add(id);
                }
            }
        }
        Map<String, String> captions = new HashMap<>(conversations.captions(ids));
        for (Map.Entry<ImageSource, String> entry : hashes.entrySet()) {
            String id = entry.getValue();
            if (!captions.containsKey(id)) {
                String caption = caption(preset.captionModel(), entry.getKey(), context, cancellation);
                captions.put(id, caption);
                if (!freshIds.contains(id)) {
                    conversations.saveCaption(id, caption); // an image of history, stored without one
                }
            }
        }
        fresh.replaceAll(image -> image.caption() == null ? image.withCaption(captions.get(image.id())) : image);
        return replace(messages, image -> "[image: " + captions.getOrDefault(hashes.get(image.source()), "") + "]");
    }

    private String caption(String model, ImageSource source, CallContext context, Cancellation cancellation) {
        ModelRequest request = new ModelRequest(model, List.of(new ChatMessage.User(List.of(new Part.Text(PROMPT),
                new Part.Image(source, null)), null)), RequestOptions.builder().maxTokens(MAX_CAPTION_TOKENS).build());
        String text = calls.complete(request, context, cancellation).completion().text().strip();
        return ThinkTags.separate(new ChatMessage.Assistant(List.of(new Part.Text(text)))).text();
    }

    private static List<ChatMessage> replace(List<ChatMessage> messages, java.util.function.Function<Part.Image, String> text) {
        List<ChatMessage> replaced = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            if (message instanceof ChatMessage.User user && user.content().stream().anyMatch(Part.Image.class::isInstance)) {
                List<Part> parts = new ArrayList<>(user.content().size());
                for (Part part : user.content()) {
                    parts.add(part instanceof Part.Image image ? new Part.Text(text.apply(image)) : part);
                }
                replaced.add(new ChatMessage.User(parts, user.name()));
            } else {
                replaced.add(message);
            }
        }
        return replaced;
    }
}
