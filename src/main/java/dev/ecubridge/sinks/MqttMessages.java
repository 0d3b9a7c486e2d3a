package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Night;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.meter.MeterReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the MQTT sink publishes, under a base topic (default {@code apsystems}), read from {@link Quantities}:
 * <pre>
 * apsystems/bridge/status                     online | offline (LWT), retained
 * apsystems/&lt;ecu&gt;/availability                online | offline, retained
 * apsystems/&lt;ecu&gt;/state                       JSON of the ECU, retained
 * apsystems/&lt;ecu&gt;/&lt;key&gt;                       one topic per ECU quantity
 * apsystems/&lt;ecu&gt;/&lt;uid&gt;/availability          online | offline (the inverter reports or not)
 * apsystems/&lt;ecu&gt;/&lt;uid&gt;/state                 JSON of the inverter, retained
 * apsystems/&lt;ecu&gt;/&lt;uid&gt;/&lt;key&gt;, ch&lt;N&gt;/&lt;key&gt;     one topic per inverter and channel quantity
 * apsystems/meter/&lt;name&gt;/availability, state, &lt;key&gt;  an ECU-C's grid meter (its ECU's name)
 * homeassistant/device/apsystems_&lt;id&gt;/config    Home Assistant device discovery, retained
 * </pre>
 * Everything is retained; live values carry an MQTT 5 message expiry, counters do not. A live value that is no data
 * (an offline inverter) is an empty payload, which clears its topic; a rejected counter is not published, so consumers
 * keep the last good value.
 * <p>
 * Discovery: an inverter's components follow from its model's record layout (channels, and which of them pair an AC
 * voltage), never from which values a cycle happens to have, so the device does not change between night and day. A
 * device's config is published when its content changes, and again on Home Assistant's birth message; a component
 * that goes away (the model changed) is sent once as {@code {"p": "<platform>"}}, and an inverter that is no longer in
 * its ECU's complete reply has all its components removed that way, then its config cleared.
 */
public final class MqttMessages {

    private static final int MAX_DEVICES = 2000;

    private final String base;
    private final String discoveryPrefix;
    private final boolean discovery;
    private final long liveExpirySeconds;
    private final Night night;
    private final String version;
    /**
     * What was last announced per device id (its clean config and components), re-sent when Home Assistant restarts.
     * Bounded, so that inverter uids that change every cycle cannot grow the heap.
     */
    private final Map<String, Announced> announced = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Announced> eldest) {
            return size() > MAX_DEVICES;
        }
    });
    /** The inverters of each ECU's last complete reply, to notice one that was removed. */
    private final Map<String, Set<String>> invertersOfEcu = new java.util.concurrent.ConcurrentHashMap<>();

    /** A device's discovery message and its components' platforms by component id. */
    private record Announced(MqttPublish message, Map<String, String> platforms) {
    }

    public MqttMessages(String baseTopic, String discoveryPrefix, boolean discovery, long liveExpirySeconds, String version) {
        this(baseTopic, discoveryPrefix, discovery, liveExpirySeconds, Night.UNAVAILABLE, version);
    }

    /**
     * @param liveExpirySeconds MQTT message expiry of live values, and Home Assistant's {@code expire_after} for them
     * @param night             with {@code ZERO}, power entities stay available while their inverter is offline
     */
    public MqttMessages(String baseTopic, String discoveryPrefix, boolean discovery, long liveExpirySeconds, Night night,
                        String version) {
        this.base = baseTopic;
        this.discoveryPrefix = discoveryPrefix;
        this.discovery = discovery;
        this.liveExpirySeconds = liveExpirySeconds;
        this.night = night;
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
        removeGoneInverters(out, s);
        out.add(retained(t + "/state", SnapshotJson.ecu(s).toString()));
        values(out, t + "/", Quantities.ECU, s);
        return out;
    }

    public List<MqttPublish> forInverter(InverterSnapshot i) {
        List<MqttPublish> out = new ArrayList<>();
        String t = base + "/" + i.ecuId() + "/" + i.uid();
        announce(out, "apsystems_" + i.uid(), inverterConfig(i));
        out.add(retained(t + "/availability", i.online() ? "online" : "offline"));
        out.add(retained(t + "/state", SnapshotJson.inverter(i).toString()));
        values(out, t + "/", Quantities.INVERTER, i);
        for (InverterSnapshot.Channel c : i.channels()) {
            values(out, t + "/ch" + c.channel() + "/", Quantities.CHANNEL, c);
        }
        return out;
    }

    /**
     * The meter's latest point (the sinks that keep history get every point): its device, linked to its ECU's
     * device once the ECU's id is known, its JSON state and one topic per quantity.
     */
    public List<MqttPublish> forMeter(List<MeterReading> readings) {
        MeterReading r = readings.get(readings.size() - 1);
        List<MqttPublish> out = new ArrayList<>();
        String t = meterTopic(r.meter());
        out.add(retained(bridgeStatusTopic(), "online"));
        out.add(retained(t + "/availability", "online"));
        announce(out, "apsystems_meter_" + r.meter(), meterConfig(r));
        out.add(retained(t + "/state", SnapshotJson.meter(r).toString()));
        values(out, t + "/", Quantities.METER, r);
        return out;
    }

    /** The meter did not answer with data: its entities become unavailable. */
    public List<MqttPublish> meterUnavailable(String meter) {
        return List.of(retained(meterTopic(meter) + "/availability", "offline"));
    }

    private String meterTopic(String meter) {
        return base + "/meter/" + meter;
    }

    /** Every device's discovery config again, for when Home Assistant announces itself on its status topic. */
    public List<MqttPublish> discoveryAll() {
        synchronized (announced) {
            return announced.values().stream().map(Announced::message).toList();
        }
    }

    /** The ECU did not answer: its entities become unavailable. */
    public List<MqttPublish> ecuUnavailable(String ecuId) {
        return List.of(retained(base + "/" + ecuId + "/availability", "offline"));
    }

    private <S> void values(List<MqttPublish> out, String prefix, List<Quantity<S>> quantities, S source) {
        for (Quantity<S> q : quantities) {
            if (!q.topic() || !q.existsFor(source)) {
                continue;
            }
            Object value = q.valueOf(source);
            if (q.kind() == Quantity.Kind.COUNTER) {
                if (value != null) {
                    out.add(retained(prefix + q.key(), value.toString()));
                }
            } else if (q.kind() == Quantity.Kind.LIVE) {
                out.add(live(prefix + q.key(), value));
            } else {
                out.add(value == null ? retained(prefix + q.key(), "") : retained(prefix + q.key(), value.toString()));
            }
        }
    }

    /** Publishes a device's config when its content differs from the last one announced, with removals spelled out. */
    private void announce(List<MqttPublish> out, String deviceId, ObjectNode config) {
        if (!discovery) {
            return;
        }
        String topic = discoveryPrefix + "/device/" + deviceId + "/config";
        ObjectNode cmps = (ObjectNode) config.get("cmps");
        Map<String, String> platforms = new LinkedHashMap<>();
        cmps.fields().forEachRemaining(e -> platforms.put(e.getKey(), e.getValue().get("p").asText()));
        Announced now = new Announced(retained(topic, config.toString()), platforms);
        Announced before = announced.put(deviceId, now);
        if (before != null && before.message().payload().equals(now.message().payload())) {
            return;
        }
        if (before != null && !platforms.keySet().containsAll(before.platforms().keySet())) {
            ObjectNode withRemovals = config.deepCopy();
            before.platforms().forEach((id, platform) -> {
                if (!platforms.containsKey(id)) {
                    ((ObjectNode) withRemovals.get("cmps")).putObject(id).put("p", platform);
                }
            });
            out.add(retained(topic, withRemovals.toString()));
        } else {
            out.add(now.message());
        }
    }

    /** Inverters in the ECU's last complete reply that are not in this one: their components and config go away. */
    private void removeGoneInverters(List<MqttPublish> out, Snapshot s) {
        if (s.info() == null || s.inverterCount() < s.info().invertersRegistered()) {
            return; // a partial reply (unknown type, dropped uids) says nothing about what is gone
        }
        Set<String> now = new HashSet<>();
        s.inverters().forEach(i -> now.add(i.uid()));
        Set<String> before = invertersOfEcu.put(s.ecuId(), now);
        if (before == null || !discovery) {
            return;
        }
        for (String uid : before) {
            Announced gone = now.contains(uid) ? null : announced.remove("apsystems_" + uid);
            if (gone != null) {
                ObjectNode config = json(gone.message().payload());
                ObjectNode cmps = config.putObject("cmps");
                gone.platforms().forEach((id, platform) -> cmps.putObject(id).put("p", platform));
                out.add(retained(gone.message().topic(), config.toString()));
                out.add(retained(gone.message().topic(), ""));
            }
        }
    }

    private ObjectNode ecuConfig(Snapshot s) {
        String t = base + "/" + s.ecuId();
        ObjectNode c = device("apsystems_ecu_" + s.ecuId(), s.ecuModel(), s.ecuId(), t + "/state", t + "/availability");
        ((ObjectNode) c.get("dev")).put("sw", s.firmware());
        ObjectNode cmps = c.putObject("cmps");
        for (Quantity<Snapshot> q : Quantities.ECU) {
            component(cmps, s.ecuId(), "", "", t + "/", q, null);
        }
        return c;
    }

    private ObjectNode inverterConfig(InverterSnapshot i) {
        String ecuTopic = base + "/" + i.ecuId();
        String t = ecuTopic + "/" + i.uid();
        ObjectNode c = device("apsystems_inv_" + i.uid(), i.model(), i.uid(), t + "/state", ecuTopic + "/availability",
                t + "/availability");
        ((ObjectNode) c.get("dev")).put("via_device", "apsystems_ecu_" + i.ecuId());
        ObjectNode cmps = c.putObject("cmps");
        String ecuAvailability = ecuTopic + "/availability";
        for (Quantity<InverterSnapshot> q : Quantities.INVERTER) {
            if (q.existsFor(i)) {
                component(cmps, i.uid(), "", "", t + "/", q, ecuAvailability);
            }
        }
        for (InverterSnapshot.Channel ch : i.channels()) {
            int n = ch.channel();
            for (Quantity<InverterSnapshot.Channel> q : Quantities.CHANNEL) {
                if (q.existsFor(ch)) {
                    component(cmps, i.uid(), "ch" + n + "_", " ch" + n, t + "/ch" + n + "/", q, ecuAvailability);
                }
            }
        }
        return c;
    }

    private ObjectNode meterConfig(MeterReading r) {
        String t = meterTopic(r.meter());
        ObjectNode c = device("apsystems_meter_" + r.meter(), "ECU-C meter", r.meter(), t + "/state", t + "/availability");
        if (r.ecuId() != null) {
            ((ObjectNode) c.get("dev")).put("via_device", "apsystems_ecu_" + r.ecuId());
        }
        ObjectNode cmps = c.putObject("cmps");
        for (Quantity<MeterReading> q : Quantities.METER) {
            component(cmps, "meter_" + r.meter(), "", "", t + "/", q, null);
        }
        return c;
    }

    /**
     * One entity of a device. Live values expire after the MQTT expiry and are unavailable while their inverter is
     * offline; counters and states (and, with night=zero, power) follow only the bridge and the ECU.
     *
     * @param ecuAvailability for an inverter's entities that stay available while it is offline; null on the ECU
     */
    private <S> void component(ObjectNode cmps, String id, String prefix, String nameSuffix, String topicPrefix,
                               Quantity<S> q, String ecuAvailability) {
        Quantity.Ha ha = q.ha();
        if (ha == null) {
            return;
        }
        String key = id + "_" + prefix + ha.id();
        ObjectNode s = cmps.putObject(key);
        s.put("p", ha.platform());
        s.put("name", q.name() + nameSuffix);
        if (ha.deviceClass() != null) {
            s.put("dev_cla", ha.deviceClass());
        }
        if (ha.stateClass() != null) {
            s.put("stat_cla", ha.stateClass());
        }
        if (q.unit() != null) {
            s.put("unit_of_meas", q.unit());
        }
        if (ha.template() != null) {
            s.put("val_tpl", ha.template());
        } else if (q.kind() == Quantity.Kind.COUNTER) {
            s.put("stat_t", topicPrefix + q.key());
        } else {
            s.put("val_tpl", "{{ value_json." + prefix + q.key() + " }}");
        }
        if (q.kind() == Quantity.Kind.LIVE) {
            s.put("exp_aft", liveExpirySeconds);
        }
        s.put("uniq_id", "apsystems_" + key);
        if (ha.category() != null) {
            s.put("ent_cat", ha.category());
        }
        boolean offlineAvailable = q.kind() != Quantity.Kind.LIVE || (ha.zeroAtNight() && night == Night.ZERO);
        if (ecuAvailability != null && offlineAvailable) {
            availability(s.putArray("avty"), ecuAvailability);
        }
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

    private static ObjectNode json(String ownConfig) {
        try {
            return (ObjectNode) SnapshotJson.MAPPER.readTree(ownConfig);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("a discovery config this class wrote is not JSON", e);
        }
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
