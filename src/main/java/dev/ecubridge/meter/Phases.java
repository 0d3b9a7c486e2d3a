package dev.ecubridge.meter;

/** Power per phase in W, as the ECU-C's CT clamps measure it (single-phase sites use phase A only). */
public record Phases(int a, int b, int c) {

    public static final Phases ZERO = new Phases(0, 0, 0);

    public int sum() {
        return a + b + c;
    }

    public Phases plus(Phases other) {
        return new Phases(a + other.a, b + other.b, c + other.c);
    }

    public Phases minus(Phases other) {
        return new Phases(a - other.a, b - other.b, c - other.c);
    }
}
