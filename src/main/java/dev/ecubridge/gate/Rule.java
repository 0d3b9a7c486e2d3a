package dev.ecubridge.gate;

import java.time.LocalDateTime;

/** How a reading must relate to the last good one: null when it may follow it, else why not. */
@FunctionalInterface
public interface Rule<T> {

    String reject(T reference, LocalDateTime referenceAt, T value, LocalDateTime at);
}
