package dev.ecubridge.it;

import java.util.ArrayDeque;
import java.util.Deque;

/** What a test opened (bridges, servers, proxies), closed in reverse order: a bridge before what it writes to. */
final class Opened implements AutoCloseable {

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Forgets a resource the test closed itself. */
    void remove(AutoCloseable resource) {
        opened.remove(resource);
    }

    @Override
    public void close() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }
}
