package dev.ebpfexporter.collector;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and git revision baked into the jar at build time (build-info.properties). */
public record BuildInfo(String version, String revision) {
    public static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build-info.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException ignored) {
            // a missing file leaves "unknown", which the metric then shows
        }
        return new BuildInfo(properties.getProperty("version", "unknown"), properties.getProperty("revision", "unknown"));
    }
}
