package dev.ecubridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One check of the bridge's health endpoint, with its details. */
final class Health {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Health() {
    }

    static JsonNode check(int managementPort, String id) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/observe/health?exposureLevel=full")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode c : new ObjectMapper().readTree(body).get("checks")) {
            if (c.get("name").asText().equals(id)) {
                return c;
            }
        }
        return null;
    }
}
