package dev.ecubridge.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Solar elevation from date, time and position (NOAA's low-precision formulas, good to a fraction of a degree). */
public final class Sun {

    private Sun() {
    }

    /** Elevation of the sun above the horizon in degrees (negative at night). */
    public static double elevation(Instant when, double latitude, double longitude) {
        ZonedDateTime utc = when.atZone(ZoneOffset.UTC);
        double hours = utc.getHour() + utc.getMinute() / 60.0 + utc.getSecond() / 3600.0;
        double gamma = 2 * Math.PI / 365 * (utc.getDayOfYear() - 1 + (hours - 12) / 24);
        double equationOfTime = 229.18 * (0.000075 + 0.001868 * Math.cos(gamma) - 0.032077 * Math.sin(gamma)
                - 0.014615 * Math.cos(2 * gamma) - 0.040849 * Math.sin(2 * gamma));
        double declination = 0.006918 - 0.399912 * Math.cos(gamma) + 0.070257 * Math.sin(gamma)
                - 0.006758 * Math.cos(2 * gamma) + 0.000907 * Math.sin(2 * gamma)
                - 0.002697 * Math.cos(3 * gamma) + 0.00148 * Math.sin(3 * gamma);
        double trueSolarMinutes = hours * 60 + equationOfTime + 4 * longitude;
        double hourAngle = Math.toRadians(trueSolarMinutes / 4 - 180);
        double lat = Math.toRadians(latitude);
        double cosZenith = Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
        return 90 - Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cosZenith))));
    }

    /** Clear-sky irradiance on a panel in W/m², a simple air-mass model: 0 below the horizon. */
    public static double clearSkyIrradiance(double elevationDegrees) {
        if (elevationDegrees <= 0) {
            return 0;
        }
        double s = Math.sin(Math.toRadians(elevationDegrees));
        return 1050 * Math.pow(s, 1.2);
    }
}
