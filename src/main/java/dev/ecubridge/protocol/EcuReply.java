package dev.ecubridge.protocol;

/** A successfully decoded ECU reply. */
public sealed interface EcuReply extends DecodeResult
        permits InfoReply, RealtimeReply, SignalReply, PowerOfDayReply, EnergyHistoryReply, StatusReply {

    EcuCommand command();
}
