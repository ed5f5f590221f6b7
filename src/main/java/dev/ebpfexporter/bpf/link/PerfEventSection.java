package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Errno;

/**
 * A {@code perf_event/type=T,config=C,frequency=F} (or {@code ...,period=P}) section, the reference exporter's way
 * of saying which perf event a {@code perf_event} program samples (libbpf itself only knows bare
 * {@code perf_event}). {@code frequency} is samples per second ({@code sample_freq}), {@code period} one sample every
 * P events ({@code sample_period}, what v1 configs' {@code sample_period} gives); 0 means unset, and with neither set
 * every event is sampled.
 */
public record PerfEventSection(int type, long config, long frequency, long period) {
    static final String PREFIX = "perf_event/";

    /** Parses the section; every item is {@code key=integer} and type, config, frequency and period are known keys. */
    public static PerfEventSection parse(String section) throws BpfException {
        int type = 0;
        long config = 0;
        long frequency = 0;
        long period = 0;
        for (String item : section.substring(PREFIX.length()).split(",")) {
            String[] kv = item.split("=", 2);
            if (kv.length != 2) {
                throw new BpfException("section " + section + ": invalid perf_event item \"" + item + "\"", Errno.EINVAL);
            }
            long value;
            try {
                value = Long.parseLong(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new BpfException("section " + section + ": value of \"" + item + "\" is not an integer", Errno.EINVAL, e);
            }
            switch (kv[0].trim()) {
                case "type" -> type = (int) value;
                case "config" -> config = value;
                case "frequency" -> frequency = value;
                case "period" -> period = value;
                default -> throw new BpfException("section " + section + ": unknown perf_event item \"" + item + "\"",
                        Errno.EINVAL);
            }
        }
        if (frequency > 0 && period > 0) {
            throw new BpfException("section " + section + ": frequency and period are exclusive", Errno.EINVAL);
        }
        return new PerfEventSection(type, config, frequency, period);
    }

    /** The section that {@link #parse} reads back: {@code perf_event/type=T,config=C,frequency=F} (or {@code period=P}). */
    public String section() {
        String sampling = period > 0 ? "period=" + period : "frequency=" + frequency;
        return PREFIX + "type=" + type + ",config=" + config + "," + sampling;
    }

    /** Readable event name for messages: the common hardware and software events by name. */
    public String eventName() {
        return switch (type) {
            case 0 -> "hardware event " + config + hardwareName();
            case 1 -> "software event " + config + (config == 0 ? " (cpu-clock)" : "");
            case 3 -> "hardware cache event " + config;
            default -> "perf event type " + type + " config " + config;
        };
    }

    private String hardwareName() {
        return switch ((int) config) {
            case 0 -> " (cpu-cycles)";
            case 1 -> " (instructions)";
            case 2 -> " (cache-references)";
            case 3 -> " (cache-misses)";
            default -> "";
        };
    }
}
