package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interface names from /sys/class/net/NAME/ifindex (the exporter's network namespace). Names found
 * are kept, as the reference does; a miss scans the directory again.
 */
public final class SysClassNet implements NetInterfaces {
    private final Path dir;
    private final Map<Long, String> found = new ConcurrentHashMap<>();

    public SysClassNet(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<String> name(long index) {
        String name = found.get(index);
        if (name == null) {
            name = scan(index);
            if (name != null) {
                found.put(index, name);
            }
        }
        return Optional.ofNullable(name);
    }

    private String scan(long index) {
        try (DirectoryStream<Path> interfaces = Files.newDirectoryStream(dir)) {
            for (Path iface : interfaces) {
                if (readIndex(iface.resolve("ifindex")) == index) {
                    return iface.getFileName().toString();
                }
            }
        } catch (IOException e) {
            return null; // no /sys/class/net to read: the index stays unknown, as for a removed interface
        }
        return null;
    }

    private static long readIndex(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return -1; // the interface went away, or is not one
        }
    }
}
