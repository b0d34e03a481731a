package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.provider.TypeFields;
import io.chatai.provider.UpstreamError;
import io.chatai.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelHealthTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Cools at the first failure: the ladder, probes and keys without the count in the way. */
    private final ChannelHealth health = new ChannelHealth(clock, new SingleNodeBreakers(), 1, channel -> { });
    /** The default: cools after 3 failures in a row. */
    private final ChannelHealth tolerant = new ChannelHealth(clock, new SingleNodeBreakers(), 3, channel -> { });
    private static final UpstreamError SERVER_ERROR = new UpstreamError.ServerError(500, "boom");

    static Channel channel(String id, long revision, String... keys) {
        return Channel.defaults(id, id, "openai", 0)
                .typeFields(TypeFields.NONE.withBaseUrl("http://x").withApiKeys(List.of(keys)))
                .timeoutMs(1000)
                .revision(revision)
                .build();
    }

    @Test
    void should_cool_down_30_then_60_then_300_seconds_and_admit_one_probe_after_each() {
        Channel c = channel("c", 1, "k");
        assertThat(health.admit(c)).isInstanceOf(ChannelHealth.Admission.Ready.class);

        for (long seconds : new long[] {30, 60, 300, 300}) {
            long until = health.failed(c, SERVER_ERROR);
            assertThat(until - clock.millis()).isEqualTo(seconds * 1000);
            assertThat(health.admit(c)).isInstanceOf(ChannelHealth.Admission.Cooling.class);
            assertThat(health.view(c).state()).isEqualTo("cooling");
            clock.advance(Duration.ofSeconds(seconds));
            assertThat(health.admit(c)).isInstanceOf(ChannelHealth.Admission.Probe.class);
            assertThat(health.admit(c)).as("only one probe at a time").isInstanceOf(ChannelHealth.Admission.Cooling.class);
        }
        health.succeeded(c);
        assertThat(health.admit(c)).isInstanceOf(ChannelHealth.Admission.Ready.class);
        assertThat(health.view(c).state()).isEqualTo("healthy");
        assertThat(health.failed(c, SERVER_ERROR) - clock.millis()).as("the ladder starts over").isEqualTo(30_000);
    }

    @Test
    void should_honour_retry_after_of_a_429() {
        Channel c = channel("c", 1, "k");
        long until = health.failed(c, new UpstreamError.RateLimited(429, "slow", Duration.ofSeconds(7)));

        assertThat(until - clock.millis()).isEqualTo(7_000);
    }

    @Test
    void should_let_another_request_probe_when_the_probe_ended_without_a_verdict() {
        Channel c = channel("c", 1, "k");
        health.failed(c, SERVER_ERROR);
        clock.advance(Duration.ofSeconds(30));
        assertThat(health.admit(c)).isInstanceOf(ChannelHealth.Admission.Probe.class);
        health.released(c);
        assertThat(health.admit(c)).isInstanceOf(ChannelHealth.Admission.Probe.class);
    }

    @Test
    void should_keep_refused_keys_out_until_the_channel_is_edited() {
        Channel c = channel("c", 1, "good", "bad");
        health.refuseKey(c, "bad");
        assertThat(health.keyUsable(c, "bad")).isFalse();
        assertThat(health.keyUsable(c, "good")).isTrue();
        assertThat(health.view(c).refusedKeys()).isEqualTo(1);

        assertThat(health.keyUsable(channel("c", 2, "good", "bad"), "bad")).isTrue();
    }

    @Test
    void should_cool_a_rate_limited_key_alone() {
        Channel c = channel("c", 1, "a", "b");
        health.coolKey(c, "a", new UpstreamError.RateLimited(429, null, Duration.ofSeconds(5)));

        assertThat(health.keyUsable(c, "a")).isFalse();
        assertThat(health.keyUsable(c, "b")).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(health.keyUsable(c, "a")).isTrue();
    }

    @Test
    void should_count_failures_reported_during_one_cooldown_once() {
        Channel c = channel("c", 1, "k");
        health.failed(c, SERVER_ERROR);
        clock.advance(Duration.ofSeconds(1));

        long until = health.failed(c, SERVER_ERROR); // a request admitted before the first failure was known

        assertThat(until - clock.millis()).as("still the first rung").isEqualTo(29_000);
        assertThat(health.view(c).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void should_mark_a_missing_model_without_cooling_the_channel() {
        Channel c = channel("c", 1, "k");
        health.modelMissing(c, "gpt-typo");

        assertThat(health.modelMissingUntil(c, "gpt-typo") - clock.millis()).isEqualTo(60_000);
        assertThat(health.modelMissingUntil(c, "gpt-4o")).isZero();
        assertThat(health.admit(c)).isInstanceOf(ChannelHealth.Admission.Ready.class);
        clock.advance(Duration.ofSeconds(59));
        assertThat(health.modelMissingUntil(c, "gpt-typo")).isPositive();
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.modelMissingUntil(c, "gpt-typo")).isZero();
    }

    @Test
    void should_show_a_channel_as_cooling_while_every_key_is_cooling() {
        Channel c = channel("c", 1, "a", "b");
        health.coolKey(c, "a", new UpstreamError.RateLimited(429, null, Duration.ofSeconds(5)));
        assertThat(health.view(c).state()).isEqualTo("healthy");

        health.coolKey(c, "b", new UpstreamError.RateLimited(429, null, Duration.ofSeconds(9)));

        assertThat(health.view(c).state()).isEqualTo("cooling");
        assertThat(health.view(c).coolingUntil() - clock.millis()).isEqualTo(5_000);
        assertThat(health.keysBackAt(c) - clock.millis()).isEqualTo(5_000);
    }

    @Test
    void should_stay_healthy_after_one_failure_and_forget_it_after_a_success() {
        Channel c = channel("c", 1, "k");

        assertThat(tolerant.failed(c, SERVER_ERROR)).as("usable again now").isEqualTo(clock.millis());
        assertThat(tolerant.admit(c)).isInstanceOf(ChannelHealth.Admission.Ready.class);
        assertThat(tolerant.view(c).state()).isEqualTo("healthy");
        assertThat(tolerant.view(c).consecutiveFailures()).isEqualTo(1);

        tolerant.succeeded(c);
        assertThat(tolerant.view(c).consecutiveFailures()).isZero();
    }

    @Test
    void should_cool_after_three_failures_in_a_row_and_start_the_count_over_after_a_success() {
        Channel c = channel("c", 1, "k");
        tolerant.failed(c, SERVER_ERROR);
        tolerant.failed(c, new UpstreamError.Timeout("waiting for the first byte", 0));
        tolerant.succeeded(c);
        tolerant.failed(c, new UpstreamError.BrokenStream("connection reset"));
        tolerant.failed(c, new UpstreamError.Unreachable("connection refused"));
        assertThat(tolerant.view(c).state()).as("a success in between").isEqualTo("healthy");

        long until = tolerant.failed(c, SERVER_ERROR);

        assertThat(until - clock.millis()).isEqualTo(30_000);
        assertThat(tolerant.admit(c)).isInstanceOf(ChannelHealth.Admission.Cooling.class);
        assertThat(tolerant.view(c).state()).isEqualTo("cooling");
        assertThat(tolerant.view(c).consecutiveFailures()).isEqualTo(3);
    }

    @Test
    void should_climb_the_ladder_when_the_probe_after_a_cooldown_fails_once() {
        Channel c = channel("c", 1, "k");
        for (int i = 0; i < 3; i++) {
            tolerant.failed(c, SERVER_ERROR);
        }
        clock.advance(Duration.ofSeconds(30));
        assertThat(tolerant.admit(c)).isInstanceOf(ChannelHealth.Admission.Probe.class);

        assertThat(tolerant.failed(c, SERVER_ERROR) - clock.millis()).as("a failed probe cools again at once").isEqualTo(60_000);
    }

    @Test
    void should_cool_at_once_on_a_429_for_its_retry_after_else_30_seconds() {
        Channel withHint = channel("hinted", 1, "k");
        Channel withoutHint = channel("plain", 1, "k");

        assertThat(tolerant.failed(withHint, new UpstreamError.RateLimited(429, "slow", Duration.ofSeconds(45))) - clock.millis())
                .isEqualTo(45_000);
        assertThat(tolerant.failed(withoutHint, new UpstreamError.RateLimited(429, "slow", null)) - clock.millis())
                .isEqualTo(30_000);
        assertThat(tolerant.view(withHint).state()).isEqualTo("cooling");
        assertThat(tolerant.view(withoutHint).state()).isEqualTo("cooling");
    }
}
