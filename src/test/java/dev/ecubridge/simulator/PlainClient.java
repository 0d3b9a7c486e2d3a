package dev.ecubridge.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A minimal blocking client, like the Python integrations: send, read until the length field is satisfied, close. */
final class PlainClient {

    /** What came back: the bytes, how many reads they took, and why reading stopped. */
    record Answer(byte[] bytes, int reads, boolean timedOut, boolean closedByPeer, long millis) {
    }

    private PlainClient() {
    }

    static Answer query(int port, String request, int timeoutMillis) throws IOException {
        return query(port, request.getBytes(StandardCharsets.US_ASCII), timeoutMillis);
    }

    static Answer query(int port, byte[] request, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[2048];
            int reads = 0;
            boolean timedOut = false;
            boolean closed = false;
            while (!complete(got.toByteArray())) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    timedOut = true;
                    break;
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                reads++;
                got.write(buf, 0, n);
            }
            return new Answer(got.toByteArray(), reads, timedOut, closed, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static boolean complete(byte[] b) {
        if (b.length < 9) {
            return false;
        }
        try {
            return b.length >= Integer.parseInt(new String(b, 5, 4, StandardCharsets.US_ASCII)) + 1;
        } catch (NumberFormatException e) {
            return b.length > 200;
        }
    }
}
