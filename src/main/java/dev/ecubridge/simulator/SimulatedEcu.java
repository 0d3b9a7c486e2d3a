package dev.ecubridge.simulator;

import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.EnergyHistoryReply;
import dev.ecubridge.protocol.EnergyPeriod;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.PowerOfDayReply;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.ReplyEncoder;
import dev.ecubridge.protocol.SignalReply;
import dev.ecubridge.protocol.StatusReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One simulated ECU and its inverters. Like a real ECU it refreshes its data every 300 s: a reply always describes
 * the last refresh, and its time stamp advances in 5-minute steps. Power follows the sun at the site (elevation,
 * a seeded day-by-day weather and per-panel factors); energy counters integrate the power of each refresh, lifetime
 * never decreases and today restarts at local midnight. Thread-safe.
 */
public final class SimulatedEcu implements ReplySource {

    public static final int REFRESH_SECONDS = 300;
    /** How long an inverter that went offline keeps reporting its last values before the ECU zeroes them. */
    static final Duration STALE_FOR = Duration.ofMinutes(30);
    private static final long MAX_CATCH_UP_SLOTS = 400L * 24 * 3600 / REFRESH_SECONDS;

    private final SiteSpec site;
    private final Clock clock;
    private final List<Unit> units;
    private final int phaseSeconds;
    private final String mac1;
    private final String mac2;

    private long slot = Long.MIN_VALUE;
    private double lifetimeWh;
    private double todayWh;
    private LocalDate today;
    private List<InverterReading> readings = List.of();
    private List<Integer> signals = List.of();
    private final Set<Integer> forcedOffline = Collections.synchronizedSet(new HashSet<>());

    /** A simulated inverter: fixed properties drawn from the seed. */
    private static final class Unit {
        final String uid;
        final InverterKind kind;
        final double[] panelFactor;
        final double onlineAboveDegrees;
        final int signalBase;
        InverterReading lastOnline;
        Instant offlineSince;
        int lastSignal;

        Unit(String uid, InverterKind kind, double[] panelFactor, double onlineAboveDegrees, int signalBase) {
            this.uid = uid;
            this.kind = kind;
            this.panelFactor = panelFactor;
            this.onlineAboveDegrees = onlineAboveDegrees;
            this.signalBase = signalBase;
        }
    }

    public SimulatedEcu(SiteSpec site, Clock clock) {
        this.site = site;
        this.clock = clock;
        this.units = createUnits(site);
        this.phaseSeconds = site.ecu().onFiveMinuteMarks() ? 0 : (int) Noise.between(0, REFRESH_SECONDS, site.seed(), 1);
        this.mac1 = String.format("80971b%06x", Noise.mix(site.seed(), 2) & 0xffffff);
        this.mac2 = site.ecu().onFiveMinuteMarks() ? String.format("60c5a8%06x", Noise.mix(site.seed(), 3) & 0xffffff) : "000000000000";
        this.lifetimeWh = site.lifetimeKwh() * 1000;
    }

    public SiteSpec site() {
        return site;
    }

    public Clock clock() {
        return clock;
    }

    public String ecuId() {
        return site.ecuId();
    }

    public List<String> inverterUids() {
        List<String> uids = new ArrayList<>();
        units.forEach(u -> uids.add(u.uid));
        return uids;
    }

    /** Forces inverter {@code index} offline (as a broken ZigBee link would) until {@link #restore}. */
    public void forceOffline(int index) {
        forcedOffline.add(index);
    }

    public void restore(int index) {
        forcedOffline.remove(index);
    }

    @Override
    public byte[] reply(EcuRequest request) {
        if (request.ecuId() != null && !request.ecuId().equals(site.ecuId())) {
            return ReplyEncoder.statusOnly(request.command(), StatusReply.ID_MISMATCH);
        }
        return ReplyEncoder.encode(answer(request));
    }

    /** The typed reply to a request, for the current time. */
    public synchronized EcuReply answer(EcuRequest request) {
        refresh();
        switch (request.command()) {
            case INFO: return info();
            case REALTIME: return realtime();
            case SIGNAL: return signal();
            case POWER_OF_DAY: return powerOfDay(request.day());
            case ENERGY_HISTORY: return energyHistory(request.period());
            default: throw new IllegalStateException("unhandled " + request.command());
        }
    }

    public synchronized InfoReply info() {
        refresh();
        int online = 0;
        int power = 0;
        for (InverterReading r : readings) {
            if (r.online()) {
                online++;
                power += r.totalPowerW();
            }
        }
        LocalDateTime ema = "12".equals(site.ecu().infoGroup()) ? dataTime().plusSeconds(47) : null;
        return new InfoReply(site.ecu().infoGroup(), site.ecuId(), "01", (long) Math.floor(lifetimeWh / 100), power,
                (long) Math.floor(todayWh / 10), ema, units.size(), online, "10", site.firmware(),
                site.ecu().claimedZone(site.zone().getId()), mac1, mac2);
    }

    public synchronized RealtimeReply realtime() {
        refresh();
        return new RealtimeReply(dataTime(), readings);
    }

    public synchronized SignalReply signal() {
        refresh();
        List<SignalReply.Entry> entries = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            entries.add(new SignalReply.Entry(units.get(i).uid, signals.get(i)));
        }
        return new SignalReply(entries);
    }

    /**
     * The ECU's power curve of {@code day}: the total power of each refresh of that day with production, up to now,
     * as the ECU served it live (its {@code hhmm} is the refresh's time without seconds).
     */
    public synchronized PowerOfDayReply powerOfDay(LocalDate day) {
        refresh();
        List<PowerOfDayReply.Sample> samples = new ArrayList<>();
        for (long s = firstSlotOf(day); s < firstSlotOf(day.plusDays(1)) && s <= slot; s++) {
            int watts = modelPower(slotStart(s));
            if (watts > 0) {
                samples.add(new PowerOfDayReply.Sample(slotStart(s).atZone(site.zone()).toLocalTime().withSecond(0).withNano(0), watts));
            }
        }
        return new PowerOfDayReply(samples);
    }

    /** Energy per day of the last week or this month, or per month of this year (dated the 1st). */
    public synchronized EnergyHistoryReply energyHistory(EnergyPeriod period) {
        refresh();
        String group = site.ecu().infoGroup();
        long max = "12".equals(group) ? 0xffffffffL : 0xffff;
        List<EnergyHistoryReply.Day> days = new ArrayList<>();
        switch (period) {
            case WEEK:
                for (LocalDate d = today.minusDays(6); !d.isAfter(today); d = d.plusDays(1)) {
                    days.add(new EnergyHistoryReply.Day(d, Math.min(max, hundredthsKwh(d))));
                }
                break;
            case MONTH:
                for (LocalDate d = today.withDayOfMonth(1); !d.isAfter(today); d = d.plusDays(1)) {
                    days.add(new EnergyHistoryReply.Day(d, Math.min(max, hundredthsKwh(d))));
                }
                break;
            default:
                for (LocalDate m = today.withDayOfYear(1); !m.isAfter(today); m = m.plusMonths(1)) {
                    long sum = 0;
                    for (LocalDate d = m; d.getMonth() == m.getMonth() && !d.isAfter(today); d = d.plusDays(1)) {
                        sum += hundredthsKwh(d);
                    }
                    days.add(new EnergyHistoryReply.Day(m, Math.min(max, sum)));
                }
        }
        return new EnergyHistoryReply(group, period, days);
    }

    /** Lifetime energy in Wh as the simulation holds it (the reply shows it in 0.1 kWh). */
    public synchronized double lifetimeWh() {
        refresh();
        return lifetimeWh;
    }

    // ---- the state: advanced one refresh at a time ----

    private void refresh() {
        long now = slotOf(clock.instant());
        if (slot == Long.MIN_VALUE || now - slot > MAX_CATCH_UP_SLOTS) {
            start(now);
            return;
        }
        while (slot < now) {
            step(slot + 1);
        }
    }

    /** First refresh: today's energy so far from the model; the lifetime counter as configured. */
    private void start(long first) {
        Instant t = slotStart(first);
        today = t.atZone(site.zone()).toLocalDate();
        todayWh = 0;
        for (long s = firstSlotOf(today); s < first; s++) {
            todayWh += modelPower(slotStart(s)) * REFRESH_SECONDS / 3600.0;
        }
        slot = first - 1;
        step(first);
    }

    private void step(long next) {
        slot = next;
        Instant t = slotStart(next);
        LocalDate date = t.atZone(site.zone()).toLocalDate();
        if (!date.equals(today)) {
            today = date;
            todayWh = 0;
        }
        List<InverterReading> fresh = new ArrayList<>(units.size());
        List<Integer> signal = new ArrayList<>(units.size());
        int power = 0;
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            InverterReading r = reading(u, i, t);
            fresh.add(r);
            if (r.online()) {
                power += r.totalPowerW();
                u.lastSignal = Math.max(1, Math.min(255, u.signalBase + (int) Noise.between(-6, 7, site.seed(), 4, i, next)));
            } else if (!site.ecu().onFiveMinuteMarks() || !u.kind.reports()) {
                u.lastSignal = 0; // ECU-R/B report 0 for offline inverters; ECU-R-Pro/C keep the last value
            }
            signal.add(u.lastSignal);
        }
        double wh = power * REFRESH_SECONDS / 3600.0;
        lifetimeWh += wh;
        todayWh += wh;
        readings = List.copyOf(fresh);
        signals = List.copyOf(signal);
    }

    private InverterReading reading(Unit u, int index, Instant t) {
        if (!u.kind.reports()) {
            return new InverterReading(u.uid, false, u.kind.typeCode(), null, null, List.of(), List.of());
        }
        double elevation = Sun.elevation(t, site.latitude(), site.longitude());
        boolean online = elevation > u.onlineAboveDegrees && !forcedOffline.contains(index);
        if (online) {
            u.offlineSince = null;
            List<Integer> powers = channelPowers(u, t, elevation);
            u.lastOnline = new InverterReading(u.uid, true, u.kind.typeCode(), frequency(t), temperature(u, t, elevation, powers),
                    powers, voltages(u, t, index));
            return u.lastOnline;
        }
        if (u.offlineSince == null) {
            u.offlineSince = t;
        }
        int offlineTemp = site.ecu().offlineTemperatureRaw() - 100;
        boolean stale = u.lastOnline != null && Duration.between(u.offlineSince, t).compareTo(STALE_FOR) < 0;
        List<Integer> zeros = Collections.nCopies(u.kind.channels(), 0);
        List<Integer> noVolts = Collections.nCopies(u.kind.voltages(), 0);
        // the ECU keeps an offline inverter's last values for a while: stale numbers, not measurements
        return new InverterReading(u.uid, false, u.kind.typeCode(), 0.0, offlineTemp,
                stale ? u.lastOnline.powerW() : zeros, stale ? u.lastOnline.voltageV() : noVolts);
    }

    /** The model's total power at {@code t}, ignoring stale values: used for history. */
    private int modelPower(Instant t) {
        double elevation = Sun.elevation(t, site.latitude(), site.longitude());
        int sum = 0;
        for (Unit u : units) {
            if (u.kind.reports() && elevation > u.onlineAboveDegrees) {
                for (int p : channelPowers(u, t, elevation)) {
                    sum += p;
                }
            }
        }
        return sum;
    }

    /**
     * The model's AC production at {@code t} per phase in W (what an ECU-C's production clamps measure): three-phase
     * inverters on all three, the others on phase A, B, C in turn by their place in the report.
     */
    public synchronized int[] productionPerPhase(Instant t) {
        double elevation = Sun.elevation(t, site.latitude(), site.longitude());
        int[] phases = new int[3];
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            if (!u.kind.reports() || elevation <= u.onlineAboveDegrees) {
                continue;
            }
            int watts = 0;
            for (int p : channelPowers(u, t, elevation)) {
                watts += p;
            }
            if (u.kind.voltages() == 3) {
                for (int ph = 0; ph < 3; ph++) {
                    phases[ph] += watts / 3;
                }
            } else {
                phases[i % 3] += watts;
            }
        }
        return phases;
    }

    private long hundredthsKwh(LocalDate day) {
        if (day.equals(today)) {
            return (long) Math.floor(todayWh / 10);
        }
        double wh = 0;
        for (long s = firstSlotOf(day); s < firstSlotOf(day.plusDays(1)); s++) {
            wh += modelPower(slotStart(s)) * REFRESH_SECONDS / 3600.0;
        }
        return (long) Math.floor(wh / 10);
    }

    private List<Integer> channelPowers(Unit u, Instant t, double elevation) {
        long slotIndex = t.getEpochSecond() / REFRESH_SECONDS;
        long day = t.atZone(site.zone()).toLocalDate().toEpochDay();
        double weather = Noise.between(0.3, 1.0, site.seed(), 5, day) * Noise.between(0.88, 1.0, site.seed(), 6, slotIndex);
        double irradiance = Sun.clearSkyIrradiance(elevation) * weather;
        Integer[] watts = new Integer[u.kind.channels()];
        for (int c = 0; c < watts.length; c++) {
            double w = u.kind.wattsPerChannel() * irradiance / 1000 * u.panelFactor[c];
            watts[c] = (int) Math.round(Math.min(w, u.kind.wattsPerChannel()));
        }
        return List.of(watts);
    }

    private double frequency(Instant t) {
        long tenths = site.gridHertz() * 10L + Math.round(Noise.between(-1.4, 1.4, site.seed(), 7, t.getEpochSecond() / REFRESH_SECONDS));
        return tenths / 10.0;
    }

    private List<Integer> voltages(Unit u, Instant t, int index) {
        long slotIndex = t.getEpochSecond() / REFRESH_SECONDS;
        double nominal = u.kind.lineToLine() ? site.nominalVolts() * Math.sqrt(3) : site.nominalVolts();
        Integer[] volts = new Integer[u.kind.voltages()];
        for (int v = 0; v < volts.length; v++) {
            // a 2-channel single-phase inverter reports the same AC voltage twice
            int phase = u.kind.voltages() == 3 ? v : 0;
            volts[v] = (int) Math.round(nominal + Noise.between(-5, 7, site.seed(), 8, index, phase, slotIndex));
        }
        return List.of(volts);
    }

    private Integer temperature(Unit u, Instant t, double elevation, List<Integer> powers) {
        ZonedDateTime local = t.atZone(site.zone());
        double season = Math.sin((local.getDayOfYear() - 110) / 365.0 * 2 * Math.PI);
        double ambient = 11 + 9 * season + 6 * Math.sin(Math.toRadians(elevation));
        double load = 0;
        for (int p : powers) {
            load += p;
        }
        load /= (double) u.kind.wattsPerChannel() * u.kind.channels();
        return (int) Math.round(ambient + 28 * load);
    }

    // ---- time ----

    private long slotOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond() - phaseSeconds, REFRESH_SECONDS);
    }

    private Instant slotStart(long s) {
        return Instant.ofEpochSecond(s * REFRESH_SECONDS + phaseSeconds);
    }

    private LocalDateTime dataTime() {
        return LocalDateTime.ofInstant(slotStart(slot), site.zone());
    }

    /** The first refresh on or after the local midnight that starts {@code day}: refreshes keep the ECU's phase. */
    private long firstSlotOf(LocalDate day) {
        return slotOf(day.atStartOfDay(site.zone()).toInstant().minusSeconds(1)) + 1;
    }

    private static List<Unit> createUnits(SiteSpec site) {
        List<Unit> units = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        int i = 0;
        for (SiteSpec.Group g : site.inverters()) {
            for (int n = 0; n < g.count(); n++, i++) {
                String uid;
                long attempt = 0;
                do {
                    uid = g.kind().uidPrefix() + String.format("%09d", Math.floorMod(Noise.mix(site.seed(), 9, i, attempt++), 1_000_000_000L));
                } while (!uids.add(uid));
                double[] panels = new double[g.kind().channels()];
                for (int c = 0; c < panels.length; c++) {
                    panels[c] = Noise.between(0.86, 1.0, site.seed(), 10, i, c);
                }
                units.add(new Unit(uid, g.kind(), panels, Noise.between(0.5, 4.0, site.seed(), 11, i),
                        (int) Noise.between(150, 235, site.seed(), 12, i)));
            }
        }
        return List.copyOf(units);
    }

}
