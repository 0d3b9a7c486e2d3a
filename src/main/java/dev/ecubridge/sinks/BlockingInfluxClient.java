package dev.ecubridge.sinks;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.WriteApi;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.write.events.ListenerRegistration;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * An {@link InfluxDBClient} whose {@code makeWriteApi()} writes synchronously. camel-influxdb2 writes through the
 * asynchronous batching WriteApi, which only logs failed writes; behind this client the same producer call blocks
 * until the server has answered, and a refused or failed write fails the exchange, so the outbox can keep it.
 */
public final class BlockingInfluxClient {

    private BlockingInfluxClient() {
    }

    public static InfluxDBClient wrap(InfluxDBClient client) {
        return (InfluxDBClient) Proxy.newProxyInstance(InfluxDBClient.class.getClassLoader(), new Class<?>[] {InfluxDBClient.class},
                (proxy, method, args) -> method.getName().startsWith("makeWriteApi")
                        ? blockingWriteApi(client.getWriteApiBlocking())
                        : invoke(client, method, args));
    }

    /** write* calls go to the blocking API's method of the same signature; flush and close have nothing to do. */
    private static WriteApi blockingWriteApi(WriteApiBlocking blocking) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("write")) {
                return invoke(blocking, WriteApiBlocking.class.getMethod(method.getName(), method.getParameterTypes()), args);
            }
            if (method.getName().equals("listenEvents")) {
                return (ListenerRegistration) () -> { }; // there are no asynchronous events to listen to
            }
            if (method.getDeclaringClass() == Object.class) {
                return invoke(blocking, method, args);
            }
            return null; // flush(), close()
        };
        return (WriteApi) Proxy.newProxyInstance(WriteApi.class.getClassLoader(), new Class<?>[] {WriteApi.class}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
