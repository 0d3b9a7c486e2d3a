package dev.ecubridge.simulator;

import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EnergyHistoryReply;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.PowerOfDayReply;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.ReplyDecoder;
import dev.ecubridge.protocol.ReplyEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** The faults active on one simulated ECU; switchable at any time, from the command line or a test. */
public final class Faults {

    private final Map<Fault, Fault.Spec> active = new ConcurrentHashMap<>();
    private final Random garbage;
    /** The data time a frozen-time fault keeps sending. */
    private volatile LocalDateTime frozen;

    public Faults(long seed) {
        this.garbage = new Random(seed);
    }

    public Faults set(Fault.Spec spec) {
        frozen = null;
        active.put(spec.fault(), spec);
        return this;
    }

    public Faults set(Fault fault) {
        return set(new Fault.Spec(fault, fault == Fault.SLOW_DRIP ? 5 : 3, null));
    }

    public Faults clear(Fault fault) {
        active.remove(fault);
        return this;
    }

    public Faults clearAll() {
        frozen = null;
        active.clear();
        return this;
    }

    public Optional<Fault.Spec> get(Fault fault, EcuCommand command) {
        Fault.Spec spec = active.get(fault);
        return spec != null && spec.affects(command) ? Optional.of(spec) : Optional.empty();
    }

    /** The data time a frozen-time fault sends: the first one it saw. */
    LocalDateTime frozen(LocalDateTime now) {
        if (frozen == null) {
            frozen = now;
        }
        return frozen;
    }

    public boolean isActive(Fault fault, EcuCommand command) {
        return get(fault, command).isPresent();
    }

    public List<Fault.Spec> active() {
        return List.copyOf(active.values());
    }

    /** Applies the faults that change what is sent (not how it is sent) to a reply. */
    byte[] corrupt(EcuCommand command, byte[] reply) {
        if (isActive(Fault.GARBAGE, command)) {
            synchronized (garbage) {
                byte[] junk = new byte[20 + garbage.nextInt(60)];
                garbage.nextBytes(junk);
                return junk;
            }
        }
        if (command != EcuCommand.INFO) {
            if (isActive(Fault.STATUS_01, command)) {
                return ReplyEncoder.statusOnly(command, "01");
            }
            if (isActive(Fault.STATUS_02, command)) {
                return ReplyEncoder.statusOnly(command, "02");
            }
        }
        byte[] out = reply;
        DecodeResult decoded = ReplyDecoder.decode(reply);
        if (isActive(Fault.HISTORY_EMPTY, command)) {
            if (decoded instanceof PowerOfDayReply) {
                return ReplyEncoder.powerOfDay(new PowerOfDayReply(List.of()));
            }
            if (decoded instanceof EnergyHistoryReply h) {
                return ReplyEncoder.energyHistory(new EnergyHistoryReply(h.group(), h.period(), List.of()));
            }
        }
        if (decoded instanceof RealtimeReply) {
            RealtimeReply r = (RealtimeReply) decoded;
            if (isActive(Fault.ZERO_INVERTERS, command)) {
                out = ReplyEncoder.realtime(new RealtimeReply(r.timestamp(), List.of()));
            } else if (isActive(Fault.UNKNOWN_TYPE, command) && !r.inverters().isEmpty()) {
                // the last record gets type 07: a decoder can still read the ones before it
                List<InverterReading> before = r.inverters().subList(0, r.inverters().size() - 1);
                int last = ReplyEncoder.realtime(new RealtimeReply(r.timestamp(), before)).length - 4;
                out = out.clone();
                out[last + 7] = '0';
                out[last + 8] = '7';
            }
        }
        if (decoded instanceof RealtimeReply && out == reply) {
            out = ImplausibleData.realtime(this, command, (RealtimeReply) decoded, out);
        }
        if (decoded instanceof InfoReply) {
            out = ImplausibleData.info(this, command, (InfoReply) decoded, out);
        }
        if (isActive(Fault.WRONG_COMMAND, command) && out.length >= 13) {
            out = out.clone();
            byte[] other = (command == EcuCommand.SIGNAL ? "0002" : "0030").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(other, 0, out, 9, 4);
        }
        if (isActive(Fault.WRONG_LENGTH, command) && out.length >= 9) {
            out = out.clone();
            byte[] length = String.format("%04d", Math.min(9999, out.length + 9)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(length, 0, out, 5, 4);
        }
        return out;
    }
}
