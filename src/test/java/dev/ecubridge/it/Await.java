package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Callable;

final class Await {

    private Await() {
    }

    static void until(Duration limit, Callable<Boolean> condition) throws Exception {
        until(limit, condition, () -> "");
    }

    /** @param state what to show when the condition did not come true */
    static void until(Duration limit, Callable<Boolean> condition, Callable<Object> state) throws Exception {
        until(limit, Duration.ofMillis(100), condition, state);
    }

    /** @param every how often to check a condition that costs its servers something */
    static void until(Duration limit, Duration every, Callable<Boolean> condition, Callable<Object> state) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            Thread.sleep(every.toMillis());
        }
        assertThat(condition.call()).as("condition within " + limit.toSeconds() + " s " + state.call()).isTrue();
    }
}
