package io.chatai.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallPurpose;
import io.chatai.channel.ModelCalls;
import io.chatai.core.Background;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts facts from committed turns, off the request path: a turn only offers itself to a bounded queue
 * (never waiting; a full queue drops the turn's facts, counted and logged), and one background loop asks
 * the model for {@code {"facts": [...]}} with structured output and hands each fact to the
 * {@link MemoryWriter}. A failed extraction is logged and dropped. Thread-safe.
 */
public final class MemoryExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryExtractor.class);
    /** At most this many facts are kept from one turn, whatever the model answers. */
    static final int MAX_FACTS = 10;
    /** Extraction answers are short lists; this bounds what one may cost. */
    static final int MAX_ANSWER_TOKENS = 400;
    static final String INSTRUCTIONS = """
            You maintain long-term memory for a chat assistant. From the conversation turn below, list the facts \
            worth remembering in later conversations: the user's preferences, personal circumstances, plans, \
            relationships and other lasting details (in a group chat, also the group's). Write each as a short \
            third-person statement naming who it is about ("The user is vegetarian", "Alice (42) lives in Lyon"). \
            Leave out small talk, anything about the assistant itself, and never include passwords, keys, tokens \
            or card, phone, account or ID numbers. Answer with JSON only: {"facts": ["..."]}; {"facts": []} when \
            there is nothing worth remembering.""";
    static final ObjectNode SCHEMA = (ObjectNode) Json.MAPPER.valueToTree(java.util.Map.of(
            "type", "object",
            "properties", java.util.Map.of("facts", java.util.Map.of("type", "array", "items", java.util.Map.of("type", "string"))),
            "required", List.of("facts"),
            "additionalProperties", false));

    private final ModelCalls calls;
    private final MemoryWriter writer;
    private final BlockingQueue<Turn> queue;
    private final AtomicLong dropped = new AtomicLong();

    /** A committed turn (received at {@code startedAt}) whose facts are to be remembered in {@code scope}. */
    public record Turn(MemoryScope scope, String model, String keyId, String userId, String groupId, String conversationId,
                       String speaker, String userText, String answerText, long startedAt) { }

    public MemoryExtractor(ModelCalls calls, MemoryWriter writer, int capacity) {
        this.calls = calls;
        this.writer = writer;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Starts the extraction loop (one platform thread: the work is a blocking model call and an embedding). */
    public void start(Background background) {
        background.loop("memory-extraction", Duration.ofSeconds(1), () -> extract(queue.take()));
    }

    /** Offers a committed turn; returns at once. False when the queue was full and the turn is dropped. */
    public boolean offer(Turn turn) {
        if (queue.offer(turn)) {
            return true;
        }
        long count = dropped.incrementAndGet();
        if (Long.bitCount(count) == 1) { // 1, 2, 4, 8...: a flood costs a few lines
            LOG.warn("Memory extraction is behind: {} turn(s) dropped so far without extracting their facts", count);
        }
        return false;
    }

    /** Turns waiting for extraction. */
    public int pending() {
        return queue.size();
    }

    void extract(Turn turn) throws InterruptedException {
        try {
            ModelRequest request = new ModelRequest(turn.model(), List.of(
                    new ChatMessage.System(INSTRUCTIONS),
                    new ChatMessage.User(List.of(new Part.Text(transcript(turn))), null)),
                    RequestOptions.builder().temperature(0.0).maxTokens(MAX_ANSWER_TOKENS)
                            .responseFormat(new ResponseFormat.JsonSchema("memory_facts",
                                    "Facts worth remembering from a chat turn", SCHEMA, true)).build());
            CallContext context = new CallContext("memory", turn.keyId(), turn.userId(), turn.groupId(),
                    turn.conversationId(), CallPurpose.MEMORY);
            String answer = onVirtualThread(() -> calls.complete(request, context, new Cancellation()).completion().text());
            for (String fact : facts(answer)) {
                writer.remember(turn.scope(), fact, turn.conversationId(),
                        new MemoryRepository.ErasureFence(turn.userId(), turn.startedAt()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Memory extraction for conversation {} failed and was dropped: {}", turn.conversationId(), e.toString());
        }
    }

    /**
     * Runs the model call on a virtual thread and waits for it: only there can the channel's timeouts abort
     * a blocked send or read (an interrupt cannot reach a platform thread's socket), so an upstream that
     * stops reading cannot hold the extraction thread for good.
     */
    private static String onVirtualThread(Callable<String> call) throws InterruptedException {
        FutureTask<String> task = new FutureTask<>(call);
        Thread thread = Thread.ofVirtual().name("memory-extraction-call").start(task);
        try {
            return task.get();
        } catch (InterruptedException e) {
            thread.interrupt(); // the server is stopping: the call stops with it
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    private static String transcript(Turn turn) {
        return (turn.speaker() == null ? "User" : "User " + turn.speaker()) + ": " + turn.userText()
                + "\n\nAssistant: " + turn.answerText();
    }

    /** The facts of an answer that is exactly {@code {"facts": [strings]}}; anything else is no facts. */
    static List<String> facts(String answer) {
        JsonNode root;
        try {
            root = Json.tree(answer.strip());
        } catch (Exception e) {
            return List.of();
        }
        JsonNode facts = root == null || !root.isObject() ? null : root.get("facts");
        if (facts == null || !facts.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode fact : facts) {
            if (!fact.isTextual()) {
                return List.of();
            }
            if (out.size() < MAX_FACTS) {
                out.add(fact.asText());
            }
        }
        return out;
    }
}
