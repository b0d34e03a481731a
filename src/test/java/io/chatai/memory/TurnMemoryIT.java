package io.chatai.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.embedding.Embeddings;
import io.chatai.preset.MemorySettings;
import io.chatai.preset.Preset;
import io.chatai.testing.TestStore;
import io.chatai.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A turn's recall starts its message's embedding when it begins, ahead of the prompt, and the client leaving stops it. */
class TurnMemoryIT {
    private static final String MODEL = "test-embedding";
    private final TestStore store = new TestStore();
    private final MemoryRepository memories = new MemoryRepository(store.database(), false);
    private final RecordingEmbeddings embeddings = new RecordingEmbeddings();
    private final TurnMemory turnMemory = new TurnMemory(new MemoryRecall(memories, embeddings, MODEL, new TokenCounter()), null);
    private final Preset remembers = new Preset("p", "P", null, "Be brief.", null, null, null, null, 20, 8_000, 0, 0,
            null, null, null, new MemorySettings(true, MemorySettings.USER, null, 400), null);

    @AfterEach
    void close() {
        store.close();
    }

    /** Embeddings whose texts finish only when the test says so, recording each start, wait and cancel. */
    static final class RecordingEmbeddings implements Embeddings {
        final List<String> events = new ArrayList<>();
        final CountDownLatch finish = new CountDownLatch(1);

        @Override
        public float[][] embed(List<String> texts) {
            synchronized (events) {
                events.add("embed " + texts.getFirst());
            }
            return new float[][] {{1, 0, 0}};
        }

        @Override
        public int dimensions() {
            return 3;
        }

        @Override
        public Pending start(String text) {
            AtomicBoolean cancelled = new AtomicBoolean();
            record("start " + text);
            return new Pending() {
                @Override
                public float[] await() {
                    record("await");
                    if (cancelled.get()) {
                        throw new CallCancelledException("the client left");
                    }
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        throw new CallCancelledException("interrupted");
                    }
                    return new float[] {1, 0, 0};
                }

                @Override
                public void cancel() {
                    if (cancelled.compareAndSet(false, true)) {
                        record("cancel");
                    }
                }
            };
        }

        void record(String event) {
            synchronized (events) {
                events.add(event);
            }
        }

        List<String> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }
    }

    private void remember(String id, String text, float... vector) {
        memories.insert(new Memory(id, "u1", null, text, 1, 1, Memory.MANUAL, null), text.toLowerCase(), vector, MODEL);
    }

    @Test
    void should_start_embedding_the_message_when_the_turn_begins_and_wait_for_it_only_for_the_prompt() {
        remember("mem_1", "The user is vegetarian", 1, 0, 0);
        remember("mem_2", "The user lives in Lyon", 0, 1, 0);

        try (TurnMemory.Recall recall = turnMemory.begin(remembers, "u1", null, "What should I cook?", new Cancellation())) {
            assertThat(embeddings.events()).containsExactly("start What should I cook?");
            embeddings.finish.countDown();
            String system = recall.systemPrompt("Be brief.");
            assertThat(system).startsWith("Be brief.\n\n" + MemoryRecall.HEADING)
                    .contains("- The user is vegetarian\n- The user lives in Lyon");
        }
        assertThat(embeddings.events()).containsExactly("start What should I cook?", "await", "cancel");
    }

    @Test
    void should_not_embed_for_a_scope_without_memories_nor_for_a_preset_without_memory() {
        Preset forgets = new Preset("f", "F", null, "Be brief.", null, null, null, null, 20, 8_000, 0, 0);
        try (TurnMemory.Recall recall = turnMemory.begin(forgets, "u1", null, "Hello", new Cancellation())) {
            assertThat(recall.systemPrompt("Be brief.")).isEqualTo("Be brief.");
        }
        try (TurnMemory.Recall recall = turnMemory.begin(remembers, "nobody", null, "Hello", new Cancellation())) {
            assertThat(recall.systemPrompt("Be brief.")).isEqualTo("Be brief.");
        }
        assertThat(embeddings.events()).isEmpty();
    }

    @Test
    void should_cancel_the_embedding_when_the_client_leaves_and_stop_the_turn() {
        remember("mem_1", "The user is vegetarian", 1, 0, 0);
        Cancellation client = new Cancellation();

        try (TurnMemory.Recall recall = turnMemory.begin(remembers, "u1", null, "What should I cook?", client)) {
            client.cancel();
            assertThat(embeddings.events()).containsExactly("start What should I cook?", "cancel");
            assertThatThrownBy(() -> recall.systemPrompt("Be brief.")).isInstanceOf(CallCancelledException.class);
        }
    }

    @Test
    void should_drop_an_embedding_nobody_read_when_the_turn_ends_early() {
        remember("mem_1", "The user is vegetarian", 1, 0, 0);
        Cancellation client = new Cancellation();

        try (TurnMemory.Recall recall = turnMemory.begin(remembers, "u1", null, "What should I cook?", client)) {
            assertThat(recall).isNotNull(); // the turn fails here (say, its conversation stays busy)
        }
        client.cancel(); // after the turn: the recall no longer listens
        assertThat(embeddings.events()).containsExactly("start What should I cook?", "cancel");
    }
}
