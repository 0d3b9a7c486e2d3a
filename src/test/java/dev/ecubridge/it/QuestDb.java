package dev.ecubridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.questdb.ServerMain;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A real InfluxDB v2 write API for the tests: QuestDB embedded, on loopback, read back through its SQL endpoint. */
final class QuestDb implements AutoCloseable {

    private final ServerMain server;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private QuestDb(ServerMain server, int port) {
        this.server = server;
        this.port = port;
    }

    static QuestDb start(Path root, int port) throws IOException {
        Files.createDirectories(root.resolve("conf"));
        Files.writeString(root.resolve("conf/server.conf"), String.join("\n",
                "http.bind.to=127.0.0.1:" + port, "http.min.enabled=false", "pg.enabled=false", "line.tcp.enabled=false",
                "line.udp.enabled=false", "telemetry.enabled=false", "cairo.wal.apply.sleep.timeout=0", ""));
        // QuestDB logs to stdout with its own logger unless told otherwise: to a file next to the tests' log
        Path log = Path.of("target", "test-logs", "questdb.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Files.writeString(root.resolve("conf/log.conf"), String.join("\n",
                "writers=file", "w.file.class=io.questdb.log.LogFileWriter", "w.file.location=" + log,
                "w.file.level=INFO,ERROR,CRITICAL,ADVISORY", ""));
        ServerMain server = new ServerMain("-d", root.toString());
        server.start();
        server.awaitStartup();
        return new QuestDb(server, port);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Rows of a query as column-name maps; empty while the table does not exist yet. */
    List<Map<String, JsonNode>> query(String sql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(url() + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = new ObjectMapper().readTree(response.body());
        List<Map<String, JsonNode>> rows = new ArrayList<>();
        if (!json.has("dataset")) {
            return rows;
        }
        for (JsonNode row : json.get("dataset")) {
            Map<String, JsonNode> map = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                map.put(json.get("columns").get(i).get("name").asText(), row.get(i));
            }
            rows.add(map);
        }
        return rows;
    }

    /** How many rows a query gives; 0 while it cannot be answered yet (no table, server busy). */
    int count(String sql) {
        try {
            return query(sql).size();
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
