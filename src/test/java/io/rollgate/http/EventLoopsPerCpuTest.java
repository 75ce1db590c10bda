package io.rollgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Event loops: one per CPU where nothing is set, what is set otherwise. ProductionProfileIT starts the packaged
 * service on one CPU and reads the count it runs with.
 */
class EventLoopsPerCpuTest {

    @Test
    void withoutASettingThereIsOneLoopPerCpu() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EventLoopsPerCpu()).build();

        assertEquals(Runtime.getRuntime().availableProcessors(),
                config.getValue(EventLoopsPerCpu.PROPERTY, Integer.class));
    }

    @Test
    void theApplicationPropertiesAndTheEnvironmentStillDecide() {
        for (int ordinal : new int[]{ 250, 300 }) {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .withSources(new EventLoopsPerCpu(),
                            new PropertiesConfigSource(Map.of(EventLoopsPerCpu.PROPERTY, "7"), "set", ordinal))
                    .build();

            assertEquals(7, config.getValue(EventLoopsPerCpu.PROPERTY, Integer.class));
        }
    }
}
