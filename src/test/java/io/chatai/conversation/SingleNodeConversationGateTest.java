package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SingleNodeConversationGateTest {

    @Test
    void should_let_waiters_in_by_arrival_order() throws Exception {
        SingleNodeConversationGate gate = new SingleNodeConversationGate(16);
        List<Integer> order = new CopyOnWriteArrayList<>();
        ConversationLocks.Lease first = gate.acquire("c", Duration.ofSeconds(5));
        Thread[] waiters = new Thread[5];
        for (int i = 0; i < waiters.length; i++) {
            int n = i;
            CountDownLatch queued = new CountDownLatch(1);
            waiters[i] = Thread.ofVirtual().start(() -> {
                queued.countDown();
                try (var lease = gate.acquire("c", Duration.ofSeconds(5))) {
                    order.add(n);
                }
            });
            queued.await();
            Thread.sleep(30); // make sure this waiter is parked before the next arrives
        }
        first.close();
        for (Thread waiter : waiters) {
            waiter.join();
        }

        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void should_give_up_after_the_wait_bound_with_409() {
        SingleNodeConversationGate gate = new SingleNodeConversationGate(16);
        try (var held = gate.acquire("c", Duration.ofSeconds(1))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> gate.acquire("c", Duration.ofMillis(200)))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONVERSATION_BUSY);
                        assertThat(e.retryAfterSeconds()).isPositive();
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
        try (var again = gate.acquire("c", Duration.ofMillis(10))) {
            assertThat(again).isNotNull(); // a timed-out waiter leaves nothing behind
        }
    }

    @Test
    void should_refuse_at_once_when_too_many_are_waiting() throws Exception {
        SingleNodeConversationGate gate = new SingleNodeConversationGate(1);
        var held = gate.acquire("c", Duration.ofSeconds(1));
        Thread waiter = Thread.ofVirtual().start(() -> {
            try (var lease = gate.acquire("c", Duration.ofSeconds(5))) {
                // got it after the holder left
            }
        });
        Thread.sleep(50);
        long started = System.nanoTime();
        assertThatThrownBy(() -> gate.acquire("c", Duration.ofSeconds(5))).isInstanceOf(ApiException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        held.close();
        waiter.join();
    }

    @Test
    void should_keep_conversations_independent_and_closing_twice_harmless() {
        SingleNodeConversationGate gate = new SingleNodeConversationGate(4);
        var a = gate.acquire("a", Duration.ofMillis(10));
        var b = gate.acquire("b", Duration.ofMillis(10));
        a.close();
        a.close();
        try (var a2 = gate.acquire("a", Duration.ofMillis(10))) {
            assertThatThrownBy(() -> gate.acquire("a", Duration.ofMillis(10))).isInstanceOf(ApiException.class);
        }
        b.close();
    }
}
