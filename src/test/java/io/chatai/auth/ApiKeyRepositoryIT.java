package io.chatai.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client keys stored by hash and revoked, on the database under test. */
class ApiKeyRepositoryIT {
    private final TestStore store = new TestStore();
    private final ApiKeyRepository keys = new ApiKeyRepository(store.database());

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void should_find_active_keys_by_hash_with_their_optional_fields() {
        ApiKey bound = new ApiKey("key_1", "bot", "alice", 30, 1_000);
        ApiKey open = new ApiKey("key_2", "shared bot", null, null, 2_000);
        keys.insert(bound, "hash-1");
        keys.insert(open, "hash-2");

        assertThat(keys.findActiveByHash("hash-1")).contains(bound);
        assertThat(keys.findActiveByHash("hash-2")).contains(open);
        assertThat(keys.findActiveByHash("hash-3")).isEmpty();
        assertThat(keys.listActive()).containsExactly(bound, open);
        // A key without its own limit stores NULL, not 0 (which would mean "no requests at all").
        assertThat(store.dump("api_keys")).contains("key_1|bot|hash-1|alice|30|1000|null|", "key_2|shared bot|hash-2|null|null|2000|null|");
    }

    @Test
    void should_revoke_once_and_then_not_find_the_key() {
        keys.insert(new ApiKey("key_1", "bot", null, null, 1_000), "hash-1");

        assertThat(keys.revoke("key_1", 5_000)).isTrue();
        assertThat(keys.revoke("key_1", 6_000)).isFalse();
        assertThat(keys.revoke("key_unknown", 6_000)).isFalse();
        assertThat(keys.findActiveByHash("hash-1")).isEmpty();
        assertThat(keys.listActive()).isEmpty();
    }
}
