package dev.ebpfexporter.bpf.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CPUs the kernel has online, for what is opened once per CPU (perf events). */
public final class Cpus {
    private Cpus() {
    }

    /** CPUs from /sys/devices/system/cpu/online, e.g. "0-3,6". */
    public static List<Integer> online() throws BpfException {
        try {
            return parseList(Files.readString(Path.of("/sys/devices/system/cpu/online")).trim());
        } catch (IOException e) {
            throw new BpfException("cannot read online CPUs: " + e.getMessage(), Errno.ENOENT, e);
        }
    }

    static List<Integer> parseList(String text) {
        List<Integer> cpus = new ArrayList<>();
        for (String range : text.split(",")) {
            if (range.isBlank()) {
                continue;
            }
            String[] bounds = range.split("-");
            int from = Integer.parseInt(bounds[0].trim());
            int to = bounds.length > 1 ? Integer.parseInt(bounds[1].trim()) : from;
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }
}
