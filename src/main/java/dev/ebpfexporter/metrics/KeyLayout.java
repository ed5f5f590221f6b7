package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.MetricConfig;

import java.util.List;

/**
 * Where each label sits in a map key: labels follow each other in order, each taking its
 * {@code size} plus {@code padding} bytes (the C struct's alignment holes).
 */
public record KeyLayout(List<LabelConfig> labels, int[] offsets, int keySize) {

    public static KeyLayout of(List<LabelConfig> labels) {
        int[] offsets = new int[labels.size()];
        int offset = 0;
        for (int i = 0; i < labels.size(); i++) {
            offsets[i] = offset;
            offset += labels.get(i).width();
        }
        return new KeyLayout(List.copyOf(labels), offsets, offset);
    }

    public int size(int label) {
        return labels.get(label).size();
    }

    /**
     * Checks the layout against the map's real key size. A metric without labels reads the single
     * {@code u32 0} key of an array, so any 4-byte key fits it.
     */
    public void checkAgainst(MetricConfig metric, int mapKeySize) throws ConfigException {
        if (labels.isEmpty()) {
            if (mapKeySize != 4) {
                throw new ConfigException(metric.source(), "metric " + metric.name() + ": has no labels, so map "
                        + metric.map() + " must have a 4-byte (u32) key, but its key is " + mapKeySize + " bytes");
            }
            return;
        }
        if (keySize != mapKeySize) {
            throw new ConfigException(metric.source(), "metric " + metric.name() + ": labels describe a "
                    + keySize + "-byte key (" + describe() + ") but map " + metric.map() + " has "
                    + mapKeySize + "-byte keys");
        }
    }

    private String describe() {
        StringBuilder text = new StringBuilder();
        for (LabelConfig label : labels) {
            if (!text.isEmpty()) {
                text.append(" + ");
            }
            text.append(label.name()).append(' ').append(label.size());
            if (label.padding() > 0) {
                text.append("+").append(label.padding()).append(" padding");
            }
        }
        return text.toString();
    }
}
