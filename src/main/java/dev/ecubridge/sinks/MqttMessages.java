package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.conversion.InverterSnapshot;
import dev.ecubridge.conversion.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the MQTT sink publishes, under a base topic (default {@code apsystems}):
 * <pre>
 * apsystems/bridge/status                     online | offline (LWT), retained
 * apsystems/&lt;ecu&gt;/availability                online | offline, retained
 * apsystems/&lt;ecu&gt;/state                       JSON of the ECU, retained
 * apsystems/&lt;ecu&gt;/power_w, today_kwh, lifetime_kwh, inverters, inverters_online
 * apsystems/&lt;ecu&gt;/&lt;uid&gt;/availability          online | offline (the inverter reports or not)
 * apsystems/&lt;ecu&gt;/&lt;uid&gt;/state                 JSON of the inverter, retained
 * apsystems/&lt;ecu&gt;/&lt;uid&gt;/online, power_w, frequency_hz, temperature_c, signal, ch&lt;N&gt;/power_w, ch&lt;N&gt;/voltage_v
 * homeassistant/device/apsystems_&lt;id&gt;/config    Home Assistant device discovery, retained
 * </pre>
 * Single values are retained; live ones (power, voltage, frequency, temperature, signal) carry an MQTT 5 message
 * expiry, energy counters do not. An offline inverter publishes {@code online=false} and empty payloads on its
 * measurement topics, which clears them: no data, never stale numbers or zeros. A rejected energy counter is simply
 * not published, so consumers keep the last good value.
 */
public final class MqttMessages {

    private final String base;
    private final String discoveryPrefix;
    private final boolean discovery;
    private final long liveExpirySeconds;
    private final String version;
    /**
     * The latest discovery config of the devices seen most recently, by device id; re-sent when Home Assistant restarts.
     * Bounded, so that inverter uids that change every cycle cannot grow the heap.
     */
    private final Map<String, MqttPublish> configs = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MqttPublish> eldest) {
            return size() > MAX_DEVICES;
        }
    });
    private static final int MAX_DEVICES = 2000;

    public MqttMessages(String baseTopic, String discoveryPrefix, boolean discovery, long liveExpirySeconds, String version) {
        this.base = baseTopic;
        this.discoveryPrefix = discoveryPrefix;
        this.discovery = discovery;
        this.liveExpirySeconds = liveExpirySeconds;
        this.version = version;
    }

    public String bridgeStatusTopic() {
        return base + "/bridge/status";
    }

    public List<MqttPublish> forEcu(Snapshot s) {
        List<MqttPublish> out = new ArrayList<>();
        String t = base + "/" + s.ecuId();
        out.add(retained(bridgeStatusTopic(), "online"));
        out.add(retained(t + "/availability", "online"));
        announce(out, "apsystems_" + s.ecuId(), ecuConfig(s));
        out.add(retained(t + "/state", SnapshotJson.ecu(s).toString()));
        out.add(live(t + "/power_w", s.powerW()));
        if (s.todayKwh() != null) {
            out.add(retained(t + "/today_kwh", s.todayKwh().toString()));
        }
        if (s.lifetimeKwh() != null) {
            out.add(retained(t + "/lifetime_kwh", s.lifetimeKwh().toString()));
        }
        out.add(retained(t + "/inverters", Integer.toString(s.inverterCount())));
        out.add(retained(t + "/inverters_online", Integer.toString(s.invertersOnline())));
        return out;
    }

    public List<MqttPublish> forInverter(InverterSnapshot i) {
        List<MqttPublish> out = new ArrayList<>();
        String t = base + "/" + i.ecuId() + "/" + i.uid();
        announce(out, "apsystems_" + i.uid(), inverterConfig(i));
        out.add(retained(t + "/availability", i.online() ? "online" : "offline"));
        out.add(retained(t + "/state", SnapshotJson.inverter(i).toString()));
        out.add(retained(t + "/online", Boolean.toString(i.online())));
        out.add(live(t + "/power_w", i.powerW()));
        out.add(live(t + "/frequency_hz", i.frequencyHz()));
        out.add(live(t + "/temperature_c", i.temperatureC()));
        out.add(live(t + "/signal", i.signal()));
        for (InverterSnapshot.Channel c : i.channels()) {
            out.add(live(t + "/ch" + c.channel() + "/power_w", c.powerW()));
            out.add(live(t + "/ch" + c.channel() + "/voltage_v", c.voltageV()));
        }
        return out;
    }

    /** Every device's discovery config again, for when Home Assistant announces itself on its status topic. */
    public List<MqttPublish> discoveryAll() {
        synchronized (configs) {
            return List.copyOf(configs.values());
        }
    }

    /** The ECU did not answer: its entities become unavailable. */
    public List<MqttPublish> ecuUnavailable(String ecuId) {
        return List.of(retained(base + "/" + ecuId + "/availability", "offline"));
    }

    private void announce(List<MqttPublish> out, String deviceId, ObjectNode config) {
        if (!discovery) {
            return;
        }
        MqttPublish message = retained(discoveryPrefix + "/device/" + deviceId + "/config", config.toString());
        MqttPublish before = configs.put(deviceId, message);
        if (!message.equals(before)) {
            out.add(message);
        }
    }

    private ObjectNode ecuConfig(Snapshot s) {
        String t = base + "/" + s.ecuId();
        ObjectNode c = device("apsystems_ecu_" + s.ecuId(), s.ecuModel(), s.ecuId(), t + "/state", t + "/availability");
        ((ObjectNode) c.get("dev")).put("sw", s.firmware());
        ObjectNode cmps = c.putObject("cmps");
        sensor(cmps, s.ecuId() + "_power", "Power", "power", "measurement", "W", "{{ value_json.power_w }}", null);
        ObjectNode today = sensor(cmps, s.ecuId() + "_today", "Energy today", "energy", "total_increasing", "kWh", null, null);
        today.put("stat_t", t + "/today_kwh");
        ObjectNode lifetime = sensor(cmps, s.ecuId() + "_lifetime", "Lifetime energy", "energy", "total_increasing", "kWh", null, null);
        lifetime.put("stat_t", t + "/lifetime_kwh");
        sensor(cmps, s.ecuId() + "_inverters_online", "Inverters online", null, "measurement", null,
                "{{ value_json.inverters_online }}", "diagnostic");
        return c;
    }

    private ObjectNode inverterConfig(InverterSnapshot i) {
        String ecuTopic = base + "/" + i.ecuId();
        String t = ecuTopic + "/" + i.uid();
        ObjectNode c = device("apsystems_inv_" + i.uid(), i.model(), i.uid(), t + "/state", ecuTopic + "/availability",
                t + "/availability");
        ((ObjectNode) c.get("dev")).put("via_device", "apsystems_ecu_" + i.ecuId());
        ObjectNode cmps = c.putObject("cmps");
        ObjectNode online = cmps.putObject(i.uid() + "_online");
        online.put("p", "binary_sensor");
        online.put("name", "Online");
        online.put("dev_cla", "connectivity");
        online.put("val_tpl", "{{ 'ON' if value_json.online else 'OFF' }}");
        online.put("uniq_id", "apsystems_" + i.uid() + "_online");
        online.put("ent_cat", "diagnostic");
        availability(online.putArray("avty"), ecuTopic + "/availability"); // shows OFF, not unavailable, when offline
        sensor(cmps, i.uid() + "_power", "Power", "power", "measurement", "W", "{{ value_json.power_w }}", null);
        for (InverterSnapshot.Channel ch : i.channels()) {
            int n = ch.channel();
            sensor(cmps, i.uid() + "_ch" + n + "_power", "Power ch" + n, "power", "measurement", "W",
                    "{{ value_json.ch" + n + "_power_w }}", null);
            if (ch.voltageV() != null || !i.online()) {
                sensor(cmps, i.uid() + "_ch" + n + "_voltage", "AC voltage ch" + n, "voltage", "measurement", "V",
                        "{{ value_json.ch" + n + "_voltage_v }}", "diagnostic");
            }
        }
        sensor(cmps, i.uid() + "_frequency", "Grid frequency", "frequency", "measurement", "Hz",
                "{{ value_json.frequency_hz }}", "diagnostic");
        sensor(cmps, i.uid() + "_temperature", "Temperature", "temperature", "measurement", "°C",
                "{{ value_json.temperature_c }}", "diagnostic");
        sensor(cmps, i.uid() + "_signal", "ZigBee signal", null, "measurement", "%",
                "{{ value_json.signal_percent }}", "diagnostic");
        return c;
    }

    /** The shared part of a device's discovery config: device, origin, availability (all must be online), state topic. */
    private ObjectNode device(String id, String model, String serial, String stateTopic, String... availabilityTopics) {
        ObjectNode c = SnapshotJson.MAPPER.createObjectNode();
        ObjectNode dev = c.putObject("dev");
        dev.putArray("ids").add(id);
        dev.put("name", "APsystems " + model + " " + serial);
        dev.put("mf", "APsystems");
        dev.put("mdl", model);
        origin(c);
        availability(c.putArray("avty"), availabilityTopics);
        c.put("avty_mode", "all");
        c.put("stat_t", stateTopic);
        return c;
    }

    private void origin(ObjectNode c) {
        ObjectNode o = c.putObject("o");
        o.put("name", "ecu-bridge");
        o.put("sw", version);
        o.put("url", "https://github.com/ecu-bridge/ecu-bridge");
    }

    private void availability(ArrayNode avty, String... topics) {
        avty.addObject().put("t", bridgeStatusTopic());
        for (String topic : topics) {
            avty.addObject().put("t", topic);
        }
    }

    private static ObjectNode sensor(ObjectNode cmps, String key, String name, String deviceClass, String stateClass,
                                     String unit, String template, String category) {
        ObjectNode s = cmps.putObject(key);
        s.put("p", "sensor");
        s.put("name", name);
        if (deviceClass != null) {
            s.put("dev_cla", deviceClass);
        }
        s.put("stat_cla", stateClass);
        if (unit != null) {
            s.put("unit_of_meas", unit);
        }
        if (template != null) {
            s.put("val_tpl", template);
        }
        s.put("uniq_id", "apsystems_" + key);
        if (category != null) {
            s.put("ent_cat", category);
        }
        return s;
    }

    private static MqttPublish retained(String topic, String payload) {
        return new MqttPublish(topic, payload, true, null, Instant.now());
    }

    /** A live value: retained with an expiry; an absent value clears the topic. */
    private MqttPublish live(String topic, Object value) {
        return value == null ? new MqttPublish(topic, "", true, null, Instant.now())
                : new MqttPublish(topic, value.toString(), true, liveExpirySeconds, Instant.now());
    }
}
