package io.chatai.userdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.conversation.ConversationRepository;
import io.chatai.memory.MemoryRepository;
import io.chatai.testing.TestStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@code CHATAI_RETENTION_DAYS}: conversations untouched for longer are deleted in batches; newer ones stay. */
class RetentionSweepIT {

    @Test
    void should_delete_only_conversations_not_updated_within_the_retention_in_batches() {
        long now = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
        long old = now - Duration.ofDays(31).toMillis();
        long recent = now - Duration.ofDays(29).toMillis();
        try (TestStore store = new TestStore()) {
            int stale = RetentionSweep.BATCH * 2 + 7;
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < stale + 3; i++) {
                long updated = i < stale ? old : recent;
                rows.append(i == 0 ? "" : ", ").append("('conv_").append(String.format("%024d", i)).append("', 'u', '', 'default', ")
                        .append(updated).append(", ").append(updated).append(", 2, 'hi', 2)");
            }
            store.execute("INSERT INTO conversations (id, user_id, group_id, preset_id, created_at, updated_at, "
                    + "message_count, last_message, next_seq) VALUES " + rows);
            store.execute("INSERT INTO messages (conversation_id, seq, role, content, tokens, created_at) VALUES "
                    + "('conv_" + String.format("%024d", 0) + "', 0, 'user', 'old words', 2, " + old + "), "
                    + "('conv_" + String.format("%024d", stale) + "', 0, 'user', 'recent words', 2, " + recent + ")");
            for (int conversation : new int[] {0, stale}) { // an image each: the stale one's goes with it
                String id = (conversation == 0 ? "a" : "b").repeat(64);
                store.database().update(sql -> {
                    sql.update("INSERT INTO images (id, mime_type, width, height, size, data, caption, created_at) "
                            + "VALUES (:id, 'image/png', 1, 1, 1, :data, NULL, 0)").bind("id", id).bind("data", new byte[] {1}).execute();
                    sql.update("INSERT INTO message_images (conversation_id, seq, position, image_id) VALUES (:c, 0, 0, :id)")
                            .bind("c", "conv_" + String.format("%024d", conversation)).bind("id", id).execute();
                });
            }
            UserDataRepository data = new UserDataRepository(store.database(), new ConversationRepository(store.database()), new MemoryRepository(store.database()));
            RetentionSweep sweep = new RetentionSweep(data, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC), 30);

            assertThat(data.deleteStale(now - Duration.ofDays(30).toMillis(), RetentionSweep.BATCH)).isEqualTo(RetentionSweep.BATCH);
            assertThat(sweep.sweep()).isEqualTo(stale - RetentionSweep.BATCH);
            assertThat(sweep.sweep()).isZero();
            String conversations = store.dump("conversations");
            assertThat(conversations).doesNotContain("conv_" + String.format("%024d", 0));
            assertThat(conversations).contains("conv_" + String.format("%024d", stale));
            assertThat(store.dump("messages")).doesNotContain("old words").contains("recent words");
            assertThat(store.dump("images")).doesNotContain("a".repeat(64)).contains("b".repeat(64));
        }
    }

    @Test
    void should_delete_stored_response_chains_not_continued_within_the_retention_from_their_newest_back() {
        long now = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
        long old = now - Duration.ofDays(40).toMillis();
        long recent = now - Duration.ofDays(1).toMillis();
        try (TestStore store = new TestStore()) {
            // Chain a: three old links. Chain b: two old links continued yesterday. c: one old, alone.
            insertResponse(store, "resp_a1", null, old);
            insertResponse(store, "resp_a2", "resp_a1", old + 1);
            insertResponse(store, "resp_a3", "resp_a2", old + 2);
            insertResponse(store, "resp_b1", null, old);
            insertResponse(store, "resp_b2", "resp_b1", old + 1);
            insertResponse(store, "resp_b3", "resp_b2", recent);
            insertResponse(store, "resp_c1", null, old);
            UserDataRepository data = new UserDataRepository(store.database(), new ConversationRepository(store.database()), new MemoryRepository(store.database()));
            RetentionSweep sweep = new RetentionSweep(data, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC), 30);

            sweep.sweep();
            String left = store.dump("responses");
            assertThat(left).doesNotContain("resp_a1", "resp_a2", "resp_a3", "resp_c1");
            assertThat(left).contains("resp_b1", "resp_b2", "resp_b3"); // a continued chain keeps every link
        }
    }

    private static void insertResponse(TestStore store, String id, String previous, long createdAt) {
        store.database().update(sql -> sql.update("INSERT INTO responses (id, key_id, user_id, previous_id, channel_id, model, "
                        + "created_at, input, output, response, chars) VALUES (:id, 'key', 'u', :previous, NULL, 'm', :at, '[]', '[]', '{}', 6)")
                .bind("id", id).bind("previous", previous).bind("at", createdAt).execute());
    }
}
