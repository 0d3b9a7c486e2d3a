package dev.ecubridge.conversion;

import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.EcuRequest;
import org.apache.camel.TypeConverterLoaderException;
import org.apache.camel.spi.TypeConverterLoader;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.support.SimpleTypeConverter;

/**
 * Registers {@link EcuReplyConverters} the way Camel's own modules do: Camel reads this class's name from
 * {@code META-INF/services/org/apache/camel/TypeConverterLoader} when any CamelContext starts, so the converters
 * are found by the application and by tests without package scanning.
 */
public final class EcuReplyConvertersLoader implements TypeConverterLoader {

    @Override
    public void load(TypeConverterRegistry registry) throws TypeConverterLoaderException {
        registry.addTypeConverter(EcuReply.class, byte[].class, new SimpleTypeConverter(false,
                (type, exchange, value) -> EcuReplyConverters.toEcuReply((byte[]) value, exchange)));
        registry.addTypeConverter(DecodeResult.class, byte[].class, new SimpleTypeConverter(false,
                (type, exchange, value) -> EcuReplyConverters.toDecodeResult((byte[]) value, exchange)));
        registry.addTypeConverter(DecodeResult.class, EcuRequest.class, new SimpleTypeConverter(false,
                (type, exchange, value) -> EcuReplyConverters.toDecodeResult((EcuRequest) value, exchange)));
    }
}
