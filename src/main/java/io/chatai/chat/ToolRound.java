package io.chatai.chat;

import io.chatai.channel.CallContext;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import io.chatai.tool.ToolExecution;
import io.chatai.tool.ToolExecutionRepository;
import io.chatai.tool.ToolResult;
import io.chatai.tool.ToolSet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tool calls of one round: each on a virtual thread of its own, bounded by its server's {@code timeoutMs}
 * (and ended at once when the client leaves); at most {@link #MAX_CALLS_PER_ROUND} run, the rest get an error result
 * the model can read. Results are in the order the model asked; {@code tool_result} events in the order the calls
 * finish. Each call is recorded ({@link ToolExecution}) when the round ends. Thread-safe; a round runs on its turn's
 * thread.
 */
final class ToolRound {
    /** A model may ask for many calls at once; more than this in one round is a runaway, not a plan. */
    static final int MAX_CALLS_PER_ROUND = 16;
    private static final Logger LOG = LoggerFactory.getLogger(ToolRound.class);

    private final ToolExecutionRepository executions;
    private final Clock clock;

    ToolRound(ToolExecutionRepository executions, Clock clock) {
        this.executions = executions;
        this.clock = clock;
    }

    /** Runs the calls; the results, one tool message per call in the model's order. {@code views} gets each call. */
    List<ChatMessage.Tool> run(List<Part.ToolCall> asked, ToolSet tools, CallContext context, Cancellation cancellation,
                               TurnOutput out, List<ToolCallView> views) {
        int count = asked.size();
        ToolCallView[] shown = new ToolCallView[count];
        ToolResult[] results = new ToolResult[count];
        for (int i = 0; i < count; i++) {
            Part.ToolCall call = asked.get(i);
            shown[i] = ToolCallView.asked(call.id(), tools.publicName(call.name()).orElse(cut(call.name())), call.arguments());
            out.toolCall(shown[i]);
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(threads);
            int running = Math.min(count, MAX_CALLS_PER_ROUND);
            for (int i = 0; i < running; i++) {
                int index = i;
                Part.ToolCall call = asked.get(i);
                done.submit(() -> {
                    results[index] = tools.call(call.name(), call.arguments(), cancellation);
                    return index;
                });
            }
            for (int i = running; i < count; i++) {
                results[i] = ToolResult.error("Not run: this round asked for " + count + " tool calls and at most "
                        + MAX_CALLS_PER_ROUND + " run in one round. Ask for it again in the next round.", 0);
                finish(i, shown, results, out);
            }
            for (int finished = 0; finished < running; finished++) {
                finish(take(done), shown, results, out);
            }
        }
        record(context, shown, results);
        List<ChatMessage.Tool> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            views.add(shown[i]);
            messages.add(new ChatMessage.Tool(asked.get(i).id(), asked.get(i).name(), parts(results[i]), results[i].isError()));
        }
        return messages;
    }

    private static void finish(int index, ToolCallView[] shown, ToolResult[] results, TurnOutput out) {
        ToolResult result = results[index];
        shown[index] = shown[index].finished(result.text(), result.isError(), result.durationMs());
        out.toolResult(shown[index]);
    }

    private static int take(ExecutorCompletionService<Integer> done) {
        try {
            Future<Integer> next = done.take();
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.chatai.core.CallCancelledException("interrupted while tools ran");
        } catch (ExecutionException e) {
            // ToolSet.call never throws; a failure here is a bug, reported as one.
            throw new IllegalStateException("A tool call failed unexpectedly", e.getCause());
        }
    }

    private void record(CallContext context, ToolCallView[] shown, ToolResult[] results) {
        long now = clock.millis();
        List<ToolExecution> rows = new ArrayList<>(shown.length);
        for (int i = 0; i < shown.length; i++) {
            rows.add(new ToolExecution(now, context.turnId(), context.keyId(), context.userId(), context.groupId(),
                    context.conversationId(), shown[i].name(), results[i].durationMs(), !results[i].isError(),
                    results[i].text().getBytes(StandardCharsets.UTF_8).length));
        }
        try {
            executions.insert(rows);
        } catch (RuntimeException e) {
            // The log is not worth failing a turn for: the model already has the results, and the turn's own
            // commit reports a database that is down.
            LOG.error("Could not record {} tool calls of turn {}", rows.size(), context.turnId(), e);
        }
    }

    private static List<Part> parts(ToolResult result) {
        List<Part> parts = new ArrayList<>(result.parts().size());
        for (ToolResult.Part part : result.parts()) {
            parts.add(switch (part) {
                case ToolResult.Part.Text text -> new Part.Text(text.text());
                case ToolResult.Part.Image image -> new Part.Image(new ImageSource.Inline(image.mimeType(), image.data()), null);
            });
        }
        return parts;
    }

    /** A name the model made up, cut so that it cannot bloat records and events. */
    private static String cut(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64);
    }
}
