package io.chatai.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read-through cache's one promise: a value read before a write that finished meanwhile is never kept. */
class ReadThroughCacheTest {
    private final ReadThroughCache<String, String> cache = ReadThroughCache.over(Caffeine.newBuilder().maximumSize(100).build());
    private final AtomicInteger loads = new AtomicInteger();

    private String get(String key, String stored) {
        return cache.get(key, value -> true, () -> {
            loads.incrementAndGet();
            return stored;
        }, value -> true);
    }

    @Test
    void should_read_once_and_then_answer_from_memory() {
        assertThat(get("k", "v1")).isEqualTo("v1");
        assertThat(get("k", "v2")).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void should_apply_a_committed_write_to_the_value_it_holds() {
        get("k", "v1");
        cache.afterWrite("k", value -> value + "+w");
        cache.afterWrite("absent", value -> value + "+w"); // a key without a value stays without

        assertThat(get("k", "unused")).isEqualTo("v1+w");
        assertThat(get("absent", "db")).isEqualTo("db");
    }

    @Test
    void should_not_keep_a_value_read_before_a_write_that_finished_during_the_read() {
        String first = cache.get("k", value -> true, () -> {
            cache.afterWrite("k", value -> value + "+w"); // another turn commits while this one reads
            return "before the write";
        }, value -> true);

        assertThat(first).isEqualTo("before the write");
        assertThat(get("k", "after the write")).isEqualTo("after the write");
    }

    @Test
    void should_not_keep_a_value_read_before_forget_all() {
        cache.get("k", value -> true, () -> {
            cache.forgetAll();
            return "before the erase";
        }, value -> true);

        assertThat(get("k", "after the erase")).isEqualTo("after the erase");
    }

    @Test
    void should_read_again_when_the_held_value_does_not_serve_or_a_read_is_not_to_be_kept() {
        get("k", "short");
        assertThat(cache.get("k", value -> value.length() > 5, () -> "longer", value -> false)).isEqualTo("longer");
        assertThat(get("k", "unused")).isEqualTo("short"); // the unkept read left the old value

        cache.forget("k");
        assertThat(get("k", "fresh")).isEqualTo("fresh");
    }

    @Test
    void should_read_through_every_time_when_disabled() {
        ReadThroughCache<String, String> none = ReadThroughCache.disabled();
        none.get("k", value -> true, () -> "v1", value -> true);
        none.afterWrite("k", value -> "never");

        assertThat(none.get("k", value -> true, () -> "v2", value -> true)).isEqualTo("v2");
    }
}
