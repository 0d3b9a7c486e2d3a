package dev.ecubridge.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One ECU of the shared list, as the value of its record in the targets topic (key: its name):
 * {@code {"host":"192.168.1.20","port":8899,"zone":"Europe/Amsterdam"}}, zone only when the ECU has its own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EcuTarget(String host, int port, String zone) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EcuTarget parse(String json) {
        try {
            return JSON.readValue(json, EcuTarget.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not an ECU target: " + json, e);
        }
    }
}
