package dev.ecubridge.meter;

/** What one read of an ECU-C's meter endpoint gives: its series, or an explained failure. Never an exception. */
public sealed interface MeterResult permits MeterReply, MeterFailure {
}
