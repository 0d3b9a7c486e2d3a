package dev.ecubridge.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that can cut the network without closing anything: while it is a black hole, it keeps
 * accepting and holding connections but delivers no byte in either direction. A connection that lost bytes stays cut
 * (its stream is broken); connections made after {@link #forward()} are forwarded again.
 */
final class BlackHoleProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;

    BlackHoleProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "black-hole-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    void blackHole() {
        blackHole = true;
        links.forEach(l -> l.cut = true);
    }

    void forward() {
        blackHole = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Link link = new Link(client, new Socket(InetAddress.getLoopbackAddress(), target));
                link.cut = blackHole;
                links.add(link);
                link.pump(link.client, link.broker);
                link.pump(link.broker, link.client);
            } catch (IOException e) {
                // closed, or the broker is not there: the client sees its connection fail
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Link l : links) {
            l.close();
        }
    }

    private static final class Link {
        final Socket client;
        final Socket broker;
        volatile boolean cut;

        Link(Socket client, Socket broker) {
            this.client = client;
            this.broker = broker;
        }

        void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        if (!cut) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // one side closed
                }
                close();
            }, "black-hole-pump");
            t.setDaemon(true);
            t.start();
        }

        void close() {
            try {
                client.close();
                broker.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
