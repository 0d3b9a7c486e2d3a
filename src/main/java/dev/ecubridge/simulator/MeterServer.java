package dev.ecubridge.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A simulated ECU-C's web server, as far as the meter goes: {@code GET /index.php/meter/old_meter_power_graph}
 * answers {@link SimulatedMeter#json()}, anything else 404 (405 for another method). Every request is recorded, so a
 * test can check that the bridge only ever sent GETs. Faults ({@link MeterFault}) can be switched at any time.
 */
public final class MeterServer implements AutoCloseable {

    public static final String PATH = "/index.php/meter/old_meter_power_graph";
    static final int SLOW_SECONDS = 30;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "meter-simulator");
        t.setDaemon(true);
        return t;
    });
    private final SimulatedMeter meter;
    private final Set<MeterFault> faults = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** A request as received: method, path and the X-Requested-With header (null when absent). */
    public record Request(String method, String path, String requestedWith) {
    }

    private MeterServer(SimulatedMeter meter, String host, int port) throws IOException {
        this.meter = meter;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** @param port 0 picks a free one */
    public static MeterServer start(SimulatedMeter meter, String host, int port) throws IOException {
        return new MeterServer(meter, host, port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public MeterServer set(MeterFault fault) {
        faults.add(fault);
        return this;
    }

    public MeterServer clear(MeterFault fault) {
        faults.remove(fault);
        return this;
    }

    public MeterServer clearAll() {
        faults.clear();
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("X-Requested-With")));
            if (!path.equals(PATH) || faults.contains(MeterFault.NOT_FOUND)) {
                answer(exchange, 404, "text/html", "<html><body><h1>Not Found</h1></body></html>");
            } else if (!exchange.getRequestMethod().equals("GET")) {
                answer(exchange, 405, "text/plain", "GET only");
            } else if (faults.contains(MeterFault.NO_DATA)) {
                answer(exchange, 200, "text/html", "No Data");
            } else if (faults.contains(MeterFault.EMPTY_SERIES)) {
                answer(exchange, 200, "application/json", "{\"power1\":[],\"power2\":[],\"today_energy\":\"0\"}");
            } else {
                String json = meter.json();
                if (faults.contains(MeterFault.MALFORMED)) {
                    json = json.substring(0, json.length() / 2);
                }
                if (faults.contains(MeterFault.SLOW)) {
                    sleep();
                }
                answer(exchange, 200, "application/json", json);
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(SLOW_SECONDS * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the client gave up (a slow answer past its timeout)
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
