package dev.ecubridge.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Display names from id prefixes (spec §4.1, §5.2). These never drive decoding: an inverter record's layout comes
 * from its type code alone, because prefix-based parsers broke on every new model.
 */
public final class Models {

    public static final String UNKNOWN = "unknown";

    /** ECU id prefix → model. */
    private static final Map<String, String> ECUS = table(
            "2160", "ECU-R",
            "2162", "ECU-R-Pro",
            "2163", "ECU-B",
            "215", "ECU-C");

    /** Inverter uid prefix → family; the longest matching prefix wins. */
    private static final Map<String, String> INVERTERS = table(
            "10", "YC500",
            "403", "YC500",
            "404", "YC500",
            "40", "YC600",
            "407", "YC600-T",
            "409", "YC600-Y",
            "50", "YC1000",
            "503", "YC1000-3",
            "504", "YC1000-3",
            "70", "DS3",
            "702", "DS3-S",
            "705", "DS3-H",
            "80", "QS1",
            "804", "QS1A",
            "90", "QT2");

    private Models() {
    }

    public static String ecuModel(String ecuId) {
        return longestPrefix(ECUS, ecuId);
    }

    public static String inverterModel(String uid) {
        return longestPrefix(INVERTERS, uid);
    }

    private static String longestPrefix(Map<String, String> table, String id) {
        String best = null;
        int bestLength = 0;
        if (id != null) {
            for (Map.Entry<String, String> e : table.entrySet()) {
                if (e.getKey().length() > bestLength && id.startsWith(e.getKey())) {
                    best = e.getValue();
                    bestLength = e.getKey().length();
                }
            }
        }
        return best == null ? UNKNOWN : best;
    }

    private static Map<String, String> table(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Map.copyOf(map);
    }
}
