package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfObject;
import dev.ebpfexporter.bpf.GlobalVariables;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ExporterConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kaddrs}: sets the global {@code kaddr_<symbol>} of an opened object to the symbol's
 * address from /proc/kallsyms, before load. The first address listed for a name wins (kernel
 * symbols come before module ones), as in the reference.
 */
final class KernelAddresses {
    static final Path KALLSYMS = Path.of("/proc/kallsyms");
    static final String PREFIX = "kaddr_";

    private KernelAddresses() {
    }

    static void apply(ExporterConfig config, BpfObject object, Path kallsyms) throws ConfigException {
        if (config.kaddrs().isEmpty()) {
            return;
        }
        Map<String, Long> addresses = lookup(kallsyms, new HashSet<>(config.kaddrs()), config);
        for (String symbol : config.kaddrs()) {
            String variable = PREFIX + symbol;
            Long address = addresses.get(symbol);
            if (address == null) {
                throw new ConfigException(config.file() + ": kaddrs: symbol \"" + symbol + "\" (for " + variable
                        + ") is not in " + kallsyms);
            }
            if (address == 0) {
                throw new ConfigException(config.file() + ": kaddrs: " + kallsyms + " shows address 0 for \"" + symbol
                        + "\" (for " + variable + "): run as root, or lower kernel.kptr_restrict");
            }
            if (GlobalVariables.find(object, variable).isEmpty()) {
                throw new ConfigException(config.file() + ": kaddrs: symbol \"" + symbol + "\" needs global variable "
                        + variable + " in " + config.objectFile().getFileName() + " (declare `const volatile u64 "
                        + variable + " = 0;`)");
            }
            try {
                GlobalVariables.setU64(object, variable, address);
            } catch (BpfException e) {
                throw new ConfigException(config.file() + ": kaddrs: symbol \"" + symbol + "\": " + e.getMessage(), e);
            }
        }
    }

    private static Map<String, Long> lookup(Path kallsyms, Set<String> wanted, ExporterConfig config)
            throws ConfigException {
        Map<String, Long> found = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(kallsyms)) {
            String line;
            while ((line = reader.readLine()) != null && found.size() < wanted.size()) {
                int first = line.indexOf(' ');
                int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
                if (second < 0) {
                    continue;
                }
                int end = line.indexOf('\t', second + 1);
                String name = end < 0 ? line.substring(second + 1) : line.substring(second + 1, end);
                if (wanted.contains(name) && !found.containsKey(name)) {
                    found.put(name, Long.parseUnsignedLong(line.substring(0, first), 16));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new ConfigException(config.file() + ": kaddrs: cannot read " + kallsyms + ": " + e.getMessage(), e);
        }
        return found;
    }

    static List<String> variables(ExporterConfig config) {
        return config.kaddrs().stream().map(s -> PREFIX + s).toList();
    }
}
