package dev.ecubridge.protocol;

/** What decoding a frame gives: a typed reply, or a typed, explained failure. */
public sealed interface DecodeResult permits EcuReply, FrameError {
}
