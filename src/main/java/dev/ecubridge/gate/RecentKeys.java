package dev.ecubridge.gate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently seen keys (e.g. inverter uids already reported), at most {@code capacity}: uids that change every
 * cycle cannot grow the heap. Thread-safe.
 */
public final class RecentKeys {

    private final Map<String, Boolean> keys;

    public RecentKeys(int capacity) {
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time a key is seen (or again once it has been forgotten). */
    public synchronized boolean firstTime(String key) {
        return keys.put(key, Boolean.TRUE) == null;
    }

    public synchronized int size() {
        return keys.size();
    }
}
