package dev.ecubridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.protocol.FrameError.Kind;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyDecoderTest {

    private static final LocalDateTime T = LocalDateTime.of(2026, 6, 21, 12, 35, 0);

    private static InverterReading twoChannel(String uid, String type) {
        return new InverterReading(uid, true, type, 50.0, 41, List.of(301, 305), List.of(231, 231));
    }

    private static InverterReading fourChannel(String uid, String type) {
        return new InverterReading(uid, true, type, 50.0, 38, List.of(101, 102, 103, 104), List.of(398, 401, 399));
    }

    private static RealtimeReply decodeRealtime(byte[] frame) {
        DecodeResult result = ReplyDecoder.decode(frame, EcuCommand.REALTIME);
        assertThat(result).isInstanceOf(RealtimeReply.class);
        return (RealtimeReply) result;
    }

    private static FrameError error(byte[] frame) {
        DecodeResult result = ReplyDecoder.decode(frame);
        assertThat(result).isInstanceOf(FrameError.class);
        return (FrameError) result;
    }

    @Test
    void type05IsResolvedByTheFrameLength() {
        RealtimeReply qt2 = new RealtimeReply(T, List.of(fourChannel("902000000001", "05")));
        assertThat(decodeRealtime(ReplyEncoder.realtime(qt2))).isEqualTo(qt2);

        RealtimeReply ds3h = new RealtimeReply(T, List.of(twoChannel("705000000001", "05")));
        assertThat(decodeRealtime(ReplyEncoder.realtime(ds3h))).isEqualTo(ds3h);

        RealtimeReply mixed = new RealtimeReply(T, List.of(
                twoChannel("705000000001", "05"), fourChannel("902000000001", "05"),
                twoChannel("703000000001", "01"), fourChannel("902000000002", "05")));
        assertThat(decodeRealtime(ReplyEncoder.realtime(mixed))).isEqualTo(mixed);
    }

    @Test
    void type05ThatFitsTwoWaysFailsClearly() {
        // 27 + 21 bytes == 21 + 27 bytes: both orders fill the frame, and the bytes can be read either way
        byte[] a = ReplyEncoder.realtime(new RealtimeReply(T, List.of(
                fourChannel("902000000001", "05"), twoChannel("705000000001", "05"))));
        byte[] frame = a.clone();
        // make the 21-byte reading of the first record land on a record head of type 05 too
        System.arraycopy("05".getBytes(StandardCharsets.US_ASCII), 0, frame, 26 + 21 + 7, 2);
        System.arraycopy("05".getBytes(StandardCharsets.US_ASCII), 0, frame, 26 + 27 + 7, 2);
        FrameError e = error(frame);
        assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_RECORDS);
        assertThat(e.message()).startsWith("realtime: record 1 at offset 26 and the records after it fit the frame in more than one way")
                .contains("'05' has layouts of 21 or 27 bytes");
    }

    @Test
    void unknownTypeCodeNamesRecordAndOffset() {
        List<InverterReading> readings = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            readings.add(fourChannel("90100000000" + i, "02"));
        }
        byte[] frame = ReplyEncoder.realtime(new RealtimeReply(T, readings));
        frame[80 + 7] = '0';
        frame[80 + 8] = '7';
        FrameError e = error(frame);
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_RECORD_TYPE);
        assertThat(e.offset()).isEqualTo(80);
        assertThat(e.message()).isEqualTo("realtime: record 3 at offset 80 has unknown type code '07'");
        assertThat(((RealtimeReply) e.partial()).inverters()).isEqualTo(readings.subList(0, 2));
    }

    @Test
    void inverterCountThatDoesNotMatchTheLengthIsRejected() {
        byte[] frame = Vectors.named("ds3_realtime_day_ecu-b_01").frame();
        frame[18] = 2;
        FrameError e = error(frame);
        assertThat(e.kind()).isEqualTo(Kind.LAYOUT_MISMATCH);
        assertThat(e.message()).contains("record 2 at offset 47");
    }

    @Test
    void replyToAnotherCommandIsRejected() {
        DecodeResult r = ReplyDecoder.decode(Vectors.named("signal_qt2_ecu-r_01").frame(), EcuCommand.REALTIME);
        assertThat(r).isInstanceOf(FrameError.class);
        assertThat(((FrameError) r).kind()).isEqualTo(Kind.UNEXPECTED_COMMAND);
        assertThat(r.toString()).isEqualTo("realtime: reply at offset 9 is for command 0030 (signal), expected 0002");
    }

    @Test
    void ourOwnRequestEchoedBackIsNotMistakenForAReply() {
        // what camel-netty hands over when the ECU closes without answering
        DecodeResult r = ReplyDecoder.decode(EcuRequest.realtime("216000120830").bytes(), EcuCommand.REALTIME);
        assertThat(r).isInstanceOf(FrameError.class);
    }

    @Test
    void statusRepliesInBothForms() {
        assertThat(ReplyDecoder.decode(ReplyEncoder.statusOnly(EcuCommand.SIGNAL, "01")))
                .isEqualTo(new StatusReply(EcuCommand.SIGNAL, "01"));
        byte[] full = "APS110018000201END\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(ReplyDecoder.decode(full)).isEqualTo(new StatusReply(EcuCommand.REALTIME, "01"));
        assertThat(error("APS110015000200\n".getBytes(StandardCharsets.US_ASCII)).kind()).isEqualTo(Kind.BAD_FIELD);
    }

    @Test
    void unknownCommandIsRejected() {
        FrameError e = error("APS110015000502\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_COMMAND);
        assertThat(e.message()).isEqualTo("frame: command number '0005' at offset 9 is not a query this collector sends");
    }

    @Test
    void missingTrailerIsRejected() {
        byte[] frame = Vectors.named("ds3_realtime_day_ecu-b_01").frame();
        frame[frame.length - 2] = 'X';
        FrameError e = error(frame);
        assertThat(e.kind()).isEqualTo(Kind.MISSING_TRAILER);
        assertThat(e.offset()).isEqualTo(47);
    }

    @Test
    void optimiserFamilyIsExplained() {
        byte[] frame = Vectors.named("ds3_realtime_day_ecu-b_01").frame();
        frame[16] = '2';
        assertThat(error(frame).message()).startsWith("realtime: record family '02' at offset 15 is not decoded");
    }

    @Test
    void infoVariant02RoundTrips() {
        InfoReply rs = new InfoReply("11", "216000012345", "02", 123456, 789, 1234, null, 12, 11, "10",
                "ECU_R_RS_1.0.0", null, null, null);
        assertThat(ReplyDecoder.decode(ReplyEncoder.info(rs))).isEqualTo(rs);
    }

    @Test
    void infoWithBadFirmwareLengthIsRejected() {
        byte[] frame = Vectors.named("ecu-b_info_fw1.2.33").frame();
        frame[53] = 'x';
        FrameError e = error(frame);
        assertThat(e.kind()).isEqualTo(Kind.BAD_FIELD);
        assertThat(e.message()).isEqualTo("info: firmware length at offset 52 is not 3 decimal digits: '0x2'");
        frame = Vectors.named("ecu-b_info_fw1.2.33").frame();
        frame[53] = '9';
        assertThat(error(frame).kind()).isEqualTo(Kind.LAYOUT_MISMATCH);
    }

    @Test
    void powerOfDayRoundTrips() {
        PowerOfDayReply r = new PowerOfDayReply(List.of(
                new PowerOfDayReply.Sample(LocalTime.of(6, 5), 12), new PowerOfDayReply.Sample(LocalTime.of(13, 0), 4410)));
        byte[] frame = ReplyEncoder.powerOfDay(r);
        assertThat(new String(frame, 0, 13, StandardCharsets.US_ASCII)).isEqualTo("APS1100260003");
        assertThat(ReplyDecoder.decode(frame, EcuCommand.POWER_OF_DAY)).isEqualTo(r);
    }

    @Test
    void energyHistoryUses16BitValuesInGroup11And32BitInGroup12() {
        List<EnergyHistoryReply.Day> days = List.of(new EnergyHistoryReply.Day(LocalDate.of(2026, 6, 20), 2345),
                new EnergyHistoryReply.Day(LocalDate.of(2026, 6, 21), 3012));
        EnergyHistoryReply g11 = new EnergyHistoryReply("11", EnergyPeriod.WEEK, days);
        byte[] f11 = ReplyEncoder.energyHistory(g11);
        assertThat(f11).hasSize(21 + 2 * 6);
        assertThat(ReplyDecoder.decode(f11)).isEqualTo(g11);

        List<EnergyHistoryReply.Day> big = List.of(new EnergyHistoryReply.Day(LocalDate.of(2026, 1, 1), 1_234_567));
        EnergyHistoryReply g12 = new EnergyHistoryReply("12", EnergyPeriod.YEAR, big);
        byte[] f12 = ReplyEncoder.energyHistory(g12);
        assertThat(f12).hasSize(21 + 8);
        EnergyHistoryReply decoded = (EnergyHistoryReply) ReplyDecoder.decode(f12);
        assertThat(decoded).isEqualTo(g12);
        assertThat(decoded.days().get(0).energyKwh()).isEqualTo(12345.67);
    }

    @Test
    void signalWithPartialEntryIsRejected() {
        byte[] frame = "APS1100230030000102030405END\n".getBytes(StandardCharsets.US_ASCII);
        frame[8] = '8';
        FrameError e = error(frame);
        assertThat(e.message()).isEqualTo("signal: the 10 bytes of signal entries from offset 15 are not a whole number of 7-byte records");
    }

    @Test
    void modelNamesComeFromPrefixes() {
        assertThat(Models.ecuModel("216000120830")).isEqualTo("ECU-R");
        assertThat(Models.ecuModel("215000003925")).isEqualTo("ECU-C");
        assertThat(Models.ecuModel("203000000001")).isEqualTo("unknown");
        assertThat(Models.inverterModel("408000094016")).isEqualTo("YC600");
        assertThat(Models.inverterModel("409000000001")).isEqualTo("YC600-Y");
        assertThat(Models.inverterModel("403000000001")).isEqualTo("YC500");
        assertThat(Models.inverterModel("702000016318")).isEqualTo("DS3-S");
        assertThat(Models.inverterModel("704000037390")).isEqualTo("DS3");
        assertThat(Models.inverterModel("804000000001")).isEqualTo("QS1A");
        assertThat(Models.inverterModel("901500034029")).isEqualTo("QT2");
        assertThat(Models.inverterModel("970000000001")).isEqualTo("unknown");
        assertThat(Models.inverterModel("8f0000000001")).isEqualTo("unknown");
    }
}
