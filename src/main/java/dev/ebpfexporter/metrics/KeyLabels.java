package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.MetricConfig;
import dev.ebpfexporter.decoder.DecoderException;
import dev.ebpfexporter.decoder.SkipKeyException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric's labels decoded from single raw keys of its map, with the layout and decoder chains its
 * scrape uses: for views of a map's entries. The histogram bucket label is decoded like the others.
 */
public final class KeyLabels {
    /** What one key decodes to: its labels in order, or skipped (a decoder drops the key), or an error. */
    public record Decoded(Map<String, String> labels, boolean skipped, String error) {
    }

    private final List<LabelChain> chains;
    private final KeyLayout layout;
    private final String problem;

    private KeyLabels(List<LabelChain> chains, KeyLayout layout, String problem) {
        this.chains = chains;
        this.layout = layout;
        this.problem = problem;
    }

    /** The labels of {@code config}'s keys; a config whose decoders cannot be built decodes every key to that error. */
    public static KeyLabels of(MetricConfig config, boolean perCpuMap, DecoderFactory decoders) {
        List<LabelConfig> labels = inKey(config, perCpuMap);
        try {
            List<LabelChain> chains = new ArrayList<>();
            for (LabelConfig label : labels) {
                chains.add(LabelChain.of(label, decoders));
            }
            return new KeyLabels(chains, KeyLayout.of(labels), null);
        } catch (ConfigException e) {
            // Kept as this metric's one-line problem, which every decode reports (the load checks it first).
            return new KeyLabels(List.of(), null, e.getMessage());
        }
    }

    /** Decodes the key at {@code offset} of {@code keys}. */
    public Decoded decode(byte[] keys, int offset) {
        if (problem != null) {
            return new Decoded(Map.of(), false, problem);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        try {
            for (int i = 0; i < chains.size(); i++) {
                labels.put(chains.get(i).name(), chains.get(i).decode(keys, offset + layout.offsets()[i], layout.size(i)));
            }
        } catch (SkipKeyException e) {
            return new Decoded(Map.of(), true, null); // a decoder chose to drop this key
        } catch (DecoderException | RuntimeException e) {
            // The reason goes into the /maps answer for this key; the caller counts it as a decoder error.
            return new Decoded(Map.of(), false, String.valueOf(e.getMessage()));
        }
        return new Decoded(labels, false, null);
    }

    /**
     * A metric of a per-CPU map whose last label is {@code cpu} gets one series per CPU: that label is
     * the CPU a value was read from, not bytes of the key. For histograms the bucket index is then the
     * last label in the key (the one before {@code cpu}).
     */
    static boolean cpuNotInKey(MetricConfig config, boolean perCpuMap) {
        List<LabelConfig> labels = config.labels();
        return perCpuMap && !labels.isEmpty() && labels.getLast().name().equals("cpu");
    }

    /** The labels whose bytes are in the map's key. */
    static List<LabelConfig> inKey(MetricConfig config, boolean perCpuMap) {
        List<LabelConfig> labels = config.labels();
        return cpuNotInKey(config, perCpuMap) ? labels.subList(0, labels.size() - 1) : labels;
    }
}
