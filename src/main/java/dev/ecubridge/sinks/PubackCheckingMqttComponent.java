package dev.ecubridge.sinks;

import java.lang.reflect.Field;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5ComponentConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5EndpointConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Producer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * camel-paho-mqtt5 whose producer fails when the broker refuses a publish in its PUBACK (reason code 0x80 or more):
 * Paho's blocking {@code MqttClient.publish} only records that code, so the message would count as delivered. A code
 * that refuses the message itself ({@link MqttFormat#REFUSED}), from the client or in the PUBACK, is a
 * {@link RefusedDelivery}; any other is an {@link MqttException} with that code, and waits. All else (connection,
 * reconnection, will, TLS, credentials, consumers) is the stock component's.
 */
public final class PubackCheckingMqttComponent extends PahoMqtt5Component {

    private static final Field ASYNC_CLIENT = asyncClientField();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Checking endpoint = new Checking(uri, remaining, this, getConfiguration().copy());
        endpoint.setClient(getClient());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    // Camel finds the generated configurers by the stock component's name, which a subclass does not carry
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new PahoMqtt5ComponentConfigurer();
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new PahoMqtt5EndpointConfigurer();
    }

    private static final class Checking extends PahoMqtt5Endpoint {

        Checking(String uri, String topic, PahoMqtt5Component component, PahoMqtt5Configuration configuration) {
            super(uri, topic, component, configuration);
        }

        @Override
        public Producer createProducer() throws Exception {
            CheckingProducer producer = new CheckingProducer(this);
            producer.setClient(getClient());
            return producer;
        }
    }

    /** PahoMqtt5Producer.process, but publishing through the client's token to read the PUBACK reason code. */
    private static final class CheckingProducer extends PahoMqtt5Producer {

        CheckingProducer(PahoMqtt5Endpoint endpoint) {
            super(endpoint);
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            PahoMqtt5Configuration config = getEndpoint().getConfiguration();
            var in = exchange.getIn();
            String topic = in.getHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, getEndpoint().getTopic(), String.class);
            MqttMessage message = new MqttMessage(in.getBody(byte[].class));
            message.setQos(in.getHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_QOS, config.getQos(), Integer.class));
            message.setRetained(in.getHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_RETAINED, config.isRetained(), Boolean.class));
            message.setProperties(in.getHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, MqttProperties.class));
            MqttClient client = getClient();
            int code;
            try {
                IMqttToken token = ((MqttAsyncClient) ASYNC_CLIENT.get(client)).publish(topic, message, null, null);
                token.waitForCompletion(client.getTimeToWait());
                int[] codes = token.getReasonCodes();
                code = codes != null && codes.length > 0 ? codes[0] : 0;
            } catch (MqttException e) {
                code = e.getReasonCode();
                if (!MqttFormat.REFUSED.containsKey(code)) {
                    throw e;
                }
            }
            if (MqttFormat.REFUSED.containsKey(code)) {
                throw new RefusedDelivery("MQTT 5 reason code 0x%02x (%s) for topic %s".formatted(code, MqttFormat.REFUSED.get(code), topic));
            }
            if (code >= 0x80) {
                throw new MqttException(code);
            }
        }
    }

    /** MqttClient keeps its MqttAsyncClient in a protected field with no getter, and the producer creates the client. */
    private static Field asyncClientField() {
        try {
            Field f = MqttClient.class.getDeclaredField("aClient");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
