package dev.ecubridge.protocol;

import dev.ecubridge.protocol.FrameError.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the layout of each realtime record where a type code has several candidates (type 05): the records must
 * fill the frame exactly, and exactly one combination may do so. Memoised, so many such records stay cheap.
 */
final class RecordLayoutResolver {

    private final FrameReader r;
    private final int count;
    private final Map<Long, Integer> completions = new HashMap<>();
    private FrameException furthest;

    private RecordLayoutResolver(FrameReader r, int count) {
        this.r = r;
        this.count = count;
    }

    /** The layouts of records {@code first..count-1}, the first of them at offset {@code p}. */
    static List<InverterLayout> resolve(FrameReader r, int count, int first, int p) throws FrameException {
        List<InverterLayout> path = new ArrayList<>(count - first);
        new RecordLayoutResolver(r, count).search(first, p, path);
        return path;
    }

    static FrameException countMismatch(FrameReader r, int count, int p) {
        return r.error(Kind.LAYOUT_MISMATCH, p, count + " records end at offset " + p + " but the data runs to offset "
                + r.end() + " (inverter count or record sizes do not match the length)");
    }

    private void search(int i, int p, List<InverterLayout> path) throws FrameException {
        int ways = completions(i, p);
        if (ways == 0) {
            throw furthest;
        }
        if (ways > 1) {
            throw r.error(Kind.AMBIGUOUS_RECORDS, p, "record " + (i + 1) + " at offset " + p
                    + " and the records after it fit the frame in more than one way; type code '"
                    + typeAt(r, p) + "' has layouts of " + sizes(candidates(r, i, p)) + " bytes");
        }
        for (; i < count; i++) {
            for (InverterLayout layout : candidates(r, i, p)) {
                if (completions(i + 1, p + layout.recordSize()) == 1) {
                    path.add(layout);
                    p += layout.recordSize();
                    break;
                }
            }
        }
    }

    /** How many layout combinations complete the frame from record i at offset p: 0, 1 or 2 (= more than one). */
    private int completions(int i, int p) {
        if (p > r.end()) {
            return 0;
        }
        if (i == count) {
            if (p != r.end()) {
                remember(countMismatch(r, count, p));
                return 0;
            }
            return 1;
        }
        long key = (long) i << 32 | p;
        Integer known = completions.get(key);
        if (known != null) {
            return known;
        }
        int ways = 0;
        try {
            for (InverterLayout layout : candidates(r, i, p)) {
                if (p + layout.recordSize() > r.end()) {
                    remember(overrun(r, i, p, layout));
                    continue;
                }
                ways = Math.min(2, ways + completions(i + 1, p + layout.recordSize()));
            }
        } catch (FrameException e) {
            remember(e);
        }
        completions.put(key, ways);
        return ways;
    }

    private void remember(FrameException e) {
        if (furthest == null || e.error().offset() > furthest.error().offset()) {
            furthest = e;
        }
    }

    static List<InverterLayout> candidates(FrameReader r, int i, int p) throws FrameException {
        if (p + InverterLayout.HEAD_SIZE > r.end()) {
            r.require(p, InverterLayout.HEAD_SIZE, "record " + (i + 1));
        }
        List<InverterLayout> candidates = InverterLayouts.forType(r.at(p + InverterLayout.TYPE), r.at(p + InverterLayout.TYPE + 1));
        if (candidates.isEmpty()) {
            throw r.error(Kind.UNKNOWN_RECORD_TYPE, p, "record " + (i + 1) + " at offset " + p
                    + " has unknown type code '" + typeAt(r, p) + "'");
        }
        return candidates;
    }

    private static String typeAt(FrameReader r, int p) {
        return r.printable(p + InverterLayout.TYPE, 2);
    }

    static FrameException overrun(FrameReader r, int i, int p, InverterLayout layout) {
        return r.error(Kind.LAYOUT_MISMATCH, p, "record " + (i + 1) + " at offset " + p + " (type '"
                + layout.typeCode() + "', " + layout.recordSize() + " bytes) runs past the end of the data at offset " + r.end());
    }

    private static String sizes(List<InverterLayout> layouts) {
        StringBuilder sb = new StringBuilder();
        for (InverterLayout l : layouts) {
            sb.append(sb.length() == 0 ? "" : " or ").append(l.recordSize());
        }
        return sb.toString();
    }
}
