package dev.ecubridge.simulator;

import dev.ecubridge.protocol.EcuRequest;

/** What an ECU answers to a request: the bytes of the reply, or null for no answer. */
public interface ReplySource {

    byte[] reply(EcuRequest request);
}
